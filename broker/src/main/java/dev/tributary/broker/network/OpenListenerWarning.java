package dev.tributary.broker.network;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Decides whether a listener is reachable from other machines and, if so, what to tell the operator:
 * the broker and the schema registry have no authentication or authorization yet, so whoever reaches a
 * listener can read, write and delete every topic. Loopback addresses (127.0.0.0/8, ::1) are quiet; a
 * wildcard (0.0.0.0, ::) or any other address gets the warning. No I/O: the address is already resolved.
 */
public final class OpenListenerWarning {
    private OpenListenerWarning() {}

    /**
     * @param listener what is bound, as the operator knows it ("Kafka listener", "Schema registry")
     * @param bound    the address the socket is bound to
     * @return the warning to log, or empty for a loopback address
     */
    public static Optional<String> of(String listener, InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address != null && address.isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of(listener + " is bound to " + describe(bound)
                + ", which is not a loopback address. Tributary has no authentication or authorization yet:"
                + " anyone who can reach this address can read, change and delete all of its data."
                + " Bind 127.0.0.1 unless the network itself is trusted.");
    }

    private static String describe(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address == null) {
            return bound.getHostString() + ":" + bound.getPort();
        }
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        String hostPort = host + ":" + bound.getPort();
        return address.isAnyLocalAddress() ? "every network interface (" + hostPort + ")" : hostPort;
    }
}
