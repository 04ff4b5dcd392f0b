package dev.petrel.webhook;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where endpoints and the deliveries owed to them are kept, shared by the server's dispatcher and the command line
 * (another process), so every read goes to the store. Methods that reach one tenant's endpoints take the tenant,
 * and a foreign endpoint is as absent as a missing one.
 */
public interface WebhookStore {

    void add(Endpoint endpoint);

    /** Every tenant's endpoints, oldest first: for the operator and the dispatcher. */
    List<Endpoint> endpoints();

    /** The tenant's endpoints, oldest first. */
    List<Endpoint> endpoints(TenantId tenant);

    Optional<Endpoint> endpoint(TenantId tenant, String id);

    /** Any tenant's endpoint by id: for the operator. */
    Optional<Endpoint> endpoint(String id);

    /** Removes the tenant's endpoint and what is owed to it; false when it has none of that id. */
    boolean remove(TenantId tenant, String id);

    /** Stops sending to the endpoint, saying why; its pending deliveries stay. */
    void disable(String id, String reason);

    /** An attempt to the endpoint succeeded after failures: its failure count starts again. */
    void succeeded(String id);

    /** An attempt to the endpoint failed at {@code at}; returns the failures in a row, this one counted. */
    int failed(String id, Instant at, String error);

    /**
     * Records what is owed, once per (endpoint, event) however often it is called. The write survives a crash of
     * the process but may not be on disk until {@link #durable}: the dispatcher calls that before it saves its
     * cursor past these events, and may write them again after a crash.
     */
    default void owe(List<Delivery> deliveries) {
        owe(List.of(), deliveries);
    }

    /** As {@link #owe(List)}: {@code handed} written as in flight (a lane has them), {@code waiting} as due. */
    void owe(List<Delivery> handed, List<Delivery> waiting);

    /**
     * Puts every write made before it on disk, and notes that the deliveries owed for events up to {@code cursor}
     * are there; {@code cursor} only grows.
     */
    void durable(long cursor);

    /**
     * Up to {@code max} of the endpoint's deliveries due at {@code now}, oldest first, marked in flight so that no
     * later call returns them until {@link #retry} or {@link #releaseAll}.
     */
    List<Delivery> claim(String endpointId, Instant now, int max);

    /** Acknowledged deliveries, forgotten. */
    void acknowledge(List<Delivery.Key> done);

    /** A failed delivery, due again at {@code next}. */
    void retry(Delivery.Key key, int attempts, Instant next, String error);

    /** A delivery given up on: forgotten, and counted on its endpoint. */
    void drop(Delivery.Key key);

    /** After a restart: deliveries marked in flight by a process that is gone are due again. */
    void releaseAll();

    /** The deliveries owed, by endpoint id (endpoints owed none are absent). */
    Map<String, Long> pending();
}
