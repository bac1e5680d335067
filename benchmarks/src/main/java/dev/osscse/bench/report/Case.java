package dev.osscse.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One benchmark with one set of non-provider parameters: a row of the report, compared across
 * providers.
 *
 * @param benchmark simple class name and method
 * @param params the parameters other than {@code provider}
 */
public record Case(String benchmark, Map<String, String> params) {
  /** The random-read benchmark: {@link #RANDOM_READ_COUNT} reads per operation. */
  static final String RANDOM_READS = "OssRandomRead.randomReads";

  /**
   * The same reads in paired rounds ({@code PairedRandomRead}): both clients in every round of one
   * JVM, one sample per round.
   */
  static final String PAIRED_RANDOM_READS = "OssRandomRead.pairedRounds";

  /** Reads per operation of {@link #RANDOM_READS}. */
  static final long RANDOM_READ_COUNT = 1000;

  /** Bytes per read of {@link #RANDOM_READS}. */
  static final long RANDOM_READ_SIZE = 64 * 1024;

  /** Copies the parameter map. */
  public Case {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Returns the bytes processed by one operation, if the benchmark has a data size. */
  public OptionalLong bytes() {
    if (benchmark.equals("OssTransfer.rangedGet1MiB")) {
      return OptionalLong.of(1L << 20);
    }
    if (isRandomReads()) {
      return OptionalLong.of(RANDOM_READ_COUNT * RANDOM_READ_SIZE);
    }
    String size = params.get("size");
    if (size != null) {
      return OptionalLong.of(Long.parseLong(size));
    }
    return switch (benchmark) {
      case "AesCtrFreshJvm.oneShot64MiB" -> OptionalLong.of(64L << 20);
      case "AesCtrSeekRead.seekThenRead4KiB" -> OptionalLong.of(4096);
      default -> OptionalLong.empty();
    };
  }

  /** Returns a human-readable row label. */
  public String label() {
    String size = params.containsKey("size") ? size(Long.parseLong(params.get("size"))) : "";
    return switch (benchmark) {
      case "AesCtrUpdate.outOfPlace" -> "CTR update, out of place, " + size;
      case "AesCtrUpdate.inPlace" -> "CTR update, in place, " + size;
      case "AesCtrFreshJvm.oneShot64MiB" -> "CTR one 64 MiB call, fresh JVM";
      case "AesCtrSeekRead.seekThenRead4KiB" ->
          "Seek + 4 KiB read, " + params.getOrDefault("region", "?");
      case "AesCtrSetup.getInstanceAndInit" -> "Per-object setup (getInstance + init)";
      case "MemoryCopy.arraycopy" -> "System.arraycopy, " + size;
      case "MemoryBound.rotatingRounds" ->
          "CTR out of place, " + size + ", rotating rounds (OssCse one call, SunJCE 100 KiB calls)";
      case "ColdStart.oneShot64MiBCall" -> "Cold: one 64 MiB call, fresh JVMs";
      case "ColdStart.oneShot64MiBCallSlowest" -> "Cold: one 64 MiB call, slowest of the JVMs";
      case "ColdStart.span64MiBSpan" -> "Cold: provider creation through one 64 MiB call";
      case "ColdStart.span64MiBCall" -> "Cold: one 64 MiB call, input ready before the provider";
      case "ColdStart.first256MiBCall" -> "Cold: first 256 MiB in 1 MiB calls";
      case "OssRepeatedRangedGet.rangedGet1MiB" -> "Repeated ranged GET 1 MiB of " + size;
      case "RsaUnwrap.unwrap" -> "RSA-2048 PKCS#1 v1.5 unwrap";
      case "OssTransfer.put" -> "PUT " + size;
      case "OssTransfer.get" -> "GET " + size;
      case "OssTransfer.rangedGet1MiB" -> "Ranged GET 1 MiB of " + size;
      case "OssClientCost.put" -> "PUT " + size + ", endpoint in its own JVM";
      case "OssClientCost.get" -> "GET " + size + ", endpoint in its own JVM";
      case RANDOM_READS, PAIRED_RANDOM_READS ->
          String.format(
                  Locale.ROOT,
                  "%,d random %s reads of %s",
                  RANDOM_READ_COUNT,
                  size(RANDOM_READ_SIZE),
                  size)
              + (params.containsKey("readAhead")
                  ? ", read-ahead " + size(Long.parseLong(params.get("readAhead")))
                  : "")
              + (benchmark.equals(PAIRED_RANDOM_READS) ? ", paired rounds" : "");
      case "OssMultipart.upload" -> "Multipart upload " + size + ", " + inFlight() + linkSuffix();
      case "OssMultipart.pairedRounds" ->
          "Multipart upload " + size + ", " + inFlight() + linkSuffix() + ", paired rounds";
      default -> {
        StringBuilder b = new StringBuilder(benchmark);
        params.forEach((k, v) -> b.append(", ").append(k).append('=').append(v));
        yield b.toString();
      }
    };
  }

  /** Whether this is the random-read benchmark, in JMH trials or in paired rounds. */
  boolean isRandomReads() {
    return benchmark.equals(RANDOM_READS) || benchmark.equals(PAIRED_RANDOM_READS);
  }

  private String inFlight() {
    String n = params.getOrDefault("parallelism", "?");
    return n + (n.equals("1") ? " part" : " parts") + " in flight";
  }

  /** Returns {@code ", <link>"} for a case with a {@code link} parameter, else the empty string. */
  String linkSuffix() {
    String link = params.get("link");
    return link == null ? "" : ", " + link(link);
  }

  /**
   * Describes a {@code link} parameter of the OSS binding benchmarks: {@code loopback} as it is,
   * {@code 100MBps} as {@code 100 MB/s per connection}, anything else unchanged.
   */
  public static String link(String value) {
    if (value.matches("[0-9]+MBps")) {
      return value.substring(0, value.length() - 4) + " MB/s per connection";
    }
    return value;
  }

  /** Formats a byte count with binary units: {@code 64 B}, {@code 16 KiB}, {@code 64 MiB}. */
  public static String size(long bytes) {
    if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }
}
