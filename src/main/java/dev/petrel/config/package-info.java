/**
 * The configuration file (TOML) and its defaults: one immutable {@link dev.petrel.config.Config} that the command
 * line reads once and hands, piece by piece, to what it wires together. May use every package, but needs only the
 * JDK and the TOML reader. It stands outside DESIGN.md's flow, with {@code cli}.
 */
package dev.petrel.config;
