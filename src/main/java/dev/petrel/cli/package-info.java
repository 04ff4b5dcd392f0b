/**
 * The command line and the wiring: {@code petrel serve}, {@code check-config}, {@code user}, {@code domain},
 * {@code queue} and {@code sendmail}, and {@link dev.petrel.cli.Petrel}, the only place that chooses
 * implementations and connects them. May use every package. The control socket lets these commands change a
 * queue that a running server owns.
 */
package dev.petrel.cli;
