/**
 * Socket plumbing shared by the SMTP server and the SMTP and LMTP clients: {@link dev.petrel.net.Deadlines}
 * times every blocking wait (RFC 5321 4.5.3.2) with one checker thread, {@link dev.petrel.net.WatchedStreams}
 * puts a socket's streams under such a watch, and {@link dev.petrel.net.ReplyLines} reads a server's reply
 * lines, bounded in length. Uses only {@code mail}; {@code server} and {@code delivery} own the sockets and use it.
 */
package dev.petrel.net;
