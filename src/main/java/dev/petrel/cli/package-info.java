/**
 * The command line and the wiring: {@code petrel serve}, {@code check-config}, {@code user}, {@code domain},
 * {@code alias}, {@code dkim}, {@code queue} and {@code sendmail}, and {@link dev.petrel.cli.Petrel}, the only
 * place that chooses implementations and connects them. May use every package. It stands outside DESIGN.md's flow
 * and builds it; the control socket lets these commands reach a queue that a running server owns, and
 * {@code petrel status} ask its health. {@code ServiceManager} tells systemd when {@code serve} is ready (sd_notify,
 * through junixsocket). {@code DailyReports} runs the day's reports ({@code DmarcReports}) after each UTC
 * midnight, and {@code petrel report send} on demand.
 */
package dev.petrel.cli;
