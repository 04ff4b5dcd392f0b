/**
 * The configuration file (TOML) and its defaults: one immutable {@link dev.petrel.config.Config} that the
 * command line reads once and hands, piece by piece, to what it wires together. May use every package, but
 * needs only the JDK and the TOML reader.
 */
package dev.petrel.config;
