/**
 * JMH benchmarks of the oss-cse provider against SunJCE and Bouncy Castle.
 *
 * <p>Every benchmark takes the provider as a {@code @Param} ({@code OssCse}, {@code SunJCE}, {@code
 * BC}) so that each figure has its baselines beside it. Class names give the call shape: {@link
 * dev.osscse.bench.AesCtrUpdate} (one {@code update} on a reused cipher), {@link
 * dev.osscse.bench.AesCtrFreshJvm} (one 64 MiB call in a JVM that has run nothing else), {@link
 * dev.osscse.bench.AesCtrSeekRead} (seek then read 4 KiB), {@link dev.osscse.bench.AesCtrSetup}
 * ({@code getInstance} + {@code init}) and {@link dev.osscse.bench.RsaUnwrap}. Run them with {@code
 * benchmarks/run.sh}; {@code mvn verify} only compiles them.
 */
package dev.osscse.bench;
