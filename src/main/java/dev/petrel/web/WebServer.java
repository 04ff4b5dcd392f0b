package dev.petrel.web;

import dev.petrel.mail.TemporaryFailure;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The HTTP listener: Jetty on virtual threads, one handler that finds the route, reads the body within its
 * limit, lets the {@link Gate} decide who may call it, and writes the handler's {@link Answer}. Errors of every
 * kind leave here in one JSON shape.
 */
public final class WebServer implements AutoCloseable {

    /** Decides who a request comes from; an {@link ApiError} (401, 403, 429) refuses it. */
    @FunctionalInterface
    public interface Gate {
        /** The caller of a route of this access (null for a public route), or an error. */
        Caller admit(Route.Access access, Exchange request);
    }

    /** Where and how to listen. */
    public record Settings(String host, int port, SSLContext tls, long maxBody) {}

    private final Server server;
    private final ServerConnector connector;

    public WebServer(Settings settings, Router router, Gate gate) {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("petrel-http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (settings.tls() != null) {
            // operators reach the listener by address as often as by name: no check of the SNI name against the
            // certificate (the client checks the certificate)
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(settings.tls());
            // TLS 1.2 or newer only
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            ssl.setRenegotiationAllowed(false);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new Dispatch(router, gate, settings.maxBody()));
        server.setErrorHandler(WebServer::jettyError);
    }

    /** Starts listening; the address it listens on (the port chosen when 0 was asked for). */
    public InetSocketAddress start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the HTTP listener did not start: " + e.getMessage(), e);
        }
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("the HTTP listener did not stop cleanly: " + e.getMessage(), e);
        }
    }

    // what Jetty itself refuses (a broken request line, headers too large) leaves in the same JSON shape
    private static boolean jettyError(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer i ? i : 500;
        String message = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m ? m
                : "the request could not be handled";
        String code = status == 400 ? "bad_request" : status == 431 ? "headers_too_large"
                : status >= 500 ? "internal" : "http_" + status;
        Dispatch.write(request, response, callback, Answer.error(new ApiError(status, code, message)));
        return true;
    }

    /** The one handler: route, limit, admit, answer. */
    private static final int RETRY_AFTER_SECONDS = 10;
    /** When a 503's cause was last written to the log: at most one line in ten seconds. */
    private static final AtomicReference<Instant> LOGGED = new AtomicReference<>(Instant.EPOCH);

    private static final class Dispatch extends Handler.Abstract {
        private final Router router;
        private final Gate gate;
        private final long maxBody;

        Dispatch(Router router, Gate gate, long maxBody) {
            super(InvocationType.BLOCKING);
            this.router = router;
            this.gate = gate;
            this.maxBody = maxBody;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            Router.Match match = router.match(request.getMethod(), path == null ? "/" : path);
            // a route writes its own errors (the Postmark-compatible ones in Postmark's shape); 404 and 405 have none
            Route.Errors errors = match instanceof Router.Found f ? f.route().errors() : Answer::error;
            Answer answer;
            try {
                answer = answer(request, path, match);
            } catch (ApiError e) {
                answer = errors.render(e);
            } catch (TemporaryFailure e) {
                answer = unavailable(errors, request, e);
            } catch (IOException | RuntimeException e) {
                answer = errors.render(new ApiError(500, "internal", "the server could not answer: " + e.getMessage()));
            }
            write(request, response, callback, answer);
            return true;
        }

        // a store that cannot be reached: try again shortly; what failed goes to the log, not to the caller
        private static Answer unavailable(Route.Errors errors, Request request, TemporaryFailure e) {
            Instant now = Instant.now();
            Instant last = LOGGED.get();
            if (!now.isBefore(last.plusSeconds(10)) && LOGGED.compareAndSet(last, now)) {
                System.err.println("petrel: http " + request.getMethod() + " " + request.getHttpURI().getPath()
                        + " answered 503: " + e.getMessage());
            }
            return errors.render(new ApiError(503, "unavailable", "the server cannot reach its store now; try again"
                    + " in " + RETRY_AFTER_SECONDS + " seconds")).with("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }

        private Answer answer(Request request, String path, Router.Match match) throws IOException {
            return switch (match) {
                case Router.NoRoute n -> throw ApiError.notFound("no route " + path);
                case Router.WrongMethod w -> Answer.error(new ApiError(405, "method_not_allowed",
                        request.getMethod() + " is not allowed on " + path + "; allowed: " + String.join(", ", w.allowed())))
                        .with("Allow", String.join(", ", w.allowed()));
                case Router.Found f -> call(request, f);
            };
        }

        private Answer call(Request request, Router.Found found) throws IOException {
            Exchange bare = exchange(request, found, new byte[0], null);
            // who may call is decided before the body is read: a stranger cannot make the server read 30 MiB
            Caller caller = gate.admit(found.route().access(), bare);
            byte[] body = body(request);
            return found.route().handler().handle(exchange(request, found, body, caller));
        }

        private byte[] body(Request request) throws IOException {
            long declared = request.getLength();
            if (declared > maxBody) {
                throw tooLarge();
            }
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] body = in.readNBytes((int) Math.min(maxBody + 1, Integer.MAX_VALUE - 8));
                if (body.length > maxBody) {
                    throw tooLarge();
                }
                return body;
            }
        }

        private ApiError tooLarge() {
            return new ApiError(413, "body_too_large", "the request body is larger than " + maxBody + " octets");
        }

        private static Exchange exchange(Request request, Router.Found found, byte[] body, Caller caller) {
            Map<String, List<String>> query = new LinkedHashMap<>();
            Fields fields = Request.extractQueryParameters(request);
            for (Fields.Field f : fields) {
                query.put(f.getName(), f.getValues());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField h : request.getHeaders()) {
                headers.putIfAbsent(h.getLowerCaseName(), h.getValue());
            }
            return new Exchange(request.getMethod(), request.getHttpURI().getPath(), found.parameters(), query,
                    headers, client(request), body, caller == null ? null : caller.name(), caller);
        }

        private static InetAddress client(Request request) {
            SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
            return remote instanceof InetSocketAddress i ? i.getAddress() : InetAddress.getLoopbackAddress();
        }

        private static void write(Request request, Response response, Callback callback, Answer answer) {
            response.setStatus(answer.status());
            if (answer.contentType() != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            }
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            List<String> names = new ArrayList<>(answer.headers().keySet());
            for (String name : names) {
                response.getHeaders().put(name, answer.headers().get(name));
            }
            boolean head = request.getMethod().toUpperCase(Locale.ROOT).equals("HEAD");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(answer.body()), callback);
        }
    }
}
