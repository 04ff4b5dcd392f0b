/**
 * Socket plumbing shared by the SMTP server and the SMTP and LMTP clients: {@link dev.petrel.net.Deadlines} times
 * every blocking wait (RFC 5321 4.5.3.2) with one checker thread, {@link dev.petrel.net.WatchedStreams} puts a
 * socket's streams under such a watch, and {@link dev.petrel.net.ClientChannel} is the one client connection
 * (timed writes, bounded reply lines, STARTTLS for SMTP) that remote and local delivery both use;
 * {@link dev.petrel.net.ProxyHeaderReader} reads the PROXY protocol header a load balancer sends first. Uses only
 * {@code mail}. In the message flow it sits under the edges that own sockets: the listeners of {@code server}
 * and the clients of {@code delivery}.
 */
package dev.petrel.net;
