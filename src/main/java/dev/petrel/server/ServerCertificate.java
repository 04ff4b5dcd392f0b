package dev.petrel.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's certificate, which {@link #reload} replaces without a restart: a renewed certificate is used by
 * the next handshake, while connections already encrypted keep theirs. The {@link SSLContext} stays the same;
 * its key manager hands out whichever pair was loaded last.
 */
public final class ServerCertificate {

    private volatile Path certificate;
    private volatile Path privateKey;
    private final Keys keys;
    private final SSLContext context;
    private final AtomicInteger generation = new AtomicInteger();

    private ServerCertificate(Path certificate, Path privateKey) throws IOException {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.keys = new Keys(read());
        this.context = TlsMaterial.context(keys);
    }

    /** The configured pair, or (both null) the self-signed one in {@code dir}, made now if missing. */
    public static ServerCertificate open(Path certificate, Path privateKey, Path dir, String hostname)
            throws IOException {
        if (certificate != null) {
            return new ServerCertificate(certificate, privateKey);
        }
        List<Path> pair = TlsMaterial.selfSigned(dir, hostname);
        return new ServerCertificate(pair.get(0), pair.get(1));
    }

    public SSLContext context() {
        return context;
    }

    /** Reads the files again; when they do not make a usable pair, the one in use stays and this throws. */
    public synchronized void reload() throws IOException {
        keys.use(read());
    }

    /**
     * Uses the pair in these files from now on (a certificate obtained over ACME), and for every later
     * {@link #reload}; when they do not make a usable pair, the one in use stays and this throws.
     */
    public synchronized void switchTo(Path certificate, Path privateKey) throws IOException {
        keys.use(TlsMaterial.keyManager(certificate, privateKey, "petrel-" + generation.incrementAndGet()));
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    // each pair under an alias of its own, so one handshake never mixes a chain and a key of two pairs
    private X509ExtendedKeyManager read() throws IOException {
        return TlsMaterial.keyManager(certificate, privateKey, "petrel-" + generation.incrementAndGet());
    }

    /** The key manager of the current pair; lookups by alias also find the pair before it, for a handshake under way. */
    private static final class Keys extends X509ExtendedKeyManager {
        private volatile X509ExtendedKeyManager current;
        private volatile X509ExtendedKeyManager previous;

        Keys(X509ExtendedKeyManager first) {
            this.current = first;
            this.previous = first;
        }

        synchronized void use(X509ExtendedKeyManager next) {
            previous = current;
            current = next;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            X509Certificate[] chain = current.getCertificateChain(alias);
            return chain != null ? chain : previous.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey key = current.getPrivateKey(alias);
            return key != null ? key : previous.getPrivateKey(alias);
        }

        // a server has no client certificate
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
