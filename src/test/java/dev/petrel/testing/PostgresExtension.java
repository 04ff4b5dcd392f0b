package dev.petrel.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link PrivatePostgres} as a parameter: one server for the whole run, started by the first test
 * that asks, stopped when the run ends (JUnit closes what its root store holds). When it cannot start, every test
 * that asks fails with the reason.
 */
public final class PostgresExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PrivatePostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(PostgresExtension.class));
        return store.getOrComputeIfAbsent(PrivatePostgres.class, k -> {
            try {
                return PrivatePostgres.start();
            } catch (Exception e) {
                throw new ParameterResolutionException("no private PostgreSQL: " + e.getMessage(), e);
            }
        }, PrivatePostgres.class);
    }
}
