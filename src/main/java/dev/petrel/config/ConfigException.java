package dev.petrel.config;

import java.io.IOException;

/** The configuration file is missing or says something that cannot be. */
public final class ConfigException extends IOException {

    public ConfigException(String message) {
        super(message);
    }
}
