package dev.osscse.bench;

import dev.osscse.provider.OssCseProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cold path in plain {@code java} programs, not JMH forks: each measurement is a fresh JVM that
 * creates the provider (a new {@code OssCseProvider}, or the JDK's installed SunJCE) and encrypts.
 *
 * <ul>
 *   <li>{@code oneShot64MiB}: provider, {@code getInstance} and {@code init}, then the 64 MiB input
 *       is prepared, then one {@code doFinal} of 64 MiB, timed alone.
 *   <li>{@code span64MiB}: the input prepared first, then the span from provider creation through
 *       the end of one 64 MiB {@code doFinal} (the provider's construction, the first {@code
 *       getInstance} with its self-test, {@code init} and the call), and the call alone.
 *   <li>{@code first256MiB}: provider, {@code getInstance}, {@code init}, a 1 MiB input prepared,
 *       then the first 256 MiB in 1 MiB {@code update} calls, timed together.
 * </ul>
 *
 * <p>{@code java -cp benchmarks.jar dev.osscse.bench.ColdStart drive FORKS OUT.json} runs FORKS
 * fresh JVMs per provider and shape (providers alternating, so both see the same load) with this
 * JVM's {@code java} and class path and writes the times as a JMH-style JSON result file ({@code
 * ColdStart.<shape>Call}, {@code ColdStart.<shape>Span} and {@code ColdStart.<shape>CallSlowest},
 * single-shot, ms/op, one sample per JVM) for the report. {@code ... ColdStart run PROVIDER SHAPE}
 * is one measurement; it prints {@code call_ns=... span_ns=...}.
 */
public final class ColdStart {
  static final String ONE_SHOT = "oneShot64MiB";
  static final String SPAN = "span64MiB";
  static final String FIRST_256 = "first256MiB";
  private static final List<String> SHAPES = List.of(ONE_SHOT, SPAN, FIRST_256);
  private static final List<String> PROVIDERS = List.of(Providers.OSS_CSE, Providers.SUN_JCE);

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("run")) {
      run(args[1], args[2]);
    } else if (args.length == 3 && args[0].equals("drive")) {
      drive(Integer.parseInt(args[1]), Path.of(args[2]));
    } else {
      System.err.println(
          "usage: ColdStart run OssCse|SunJCE oneShot64MiB|span64MiB|first256MiB | drive FORKS OUT.json");
      System.exit(2);
    }
  }

  private static void run(String provider, String shape) throws Exception {
    if (!SHAPES.contains(shape)) {
      throw new IllegalArgumentException("shape must be " + SHAPES + ", got " + shape);
    }
    boolean oneCall = !shape.equals(FIRST_256);
    int size = oneCall ? 64 << 20 : 1 << 20;
    byte[] in = null;
    byte[] out = null;
    if (shape.equals(SPAN)) { // input ready before the provider exists
      in = Fixtures.bytes(3, size);
      out = new byte[size];
    }
    SecretKeySpec key = Fixtures.aesKey(1);
    IvParameterSpec iv = new IvParameterSpec(Fixtures.iv(2));
    long t0 = System.nanoTime();
    Provider p =
        switch (provider) {
          case Providers.OSS_CSE -> new OssCseProvider();
          case Providers.SUN_JCE -> Security.getProvider("SunJCE");
          default -> throw new IllegalArgumentException("provider must be " + PROVIDERS);
        };
    Cipher c = Cipher.getInstance(Fixtures.AES_CTR, p);
    c.init(Cipher.ENCRYPT_MODE, key, iv);
    if (in == null) { // input prepared after the provider is loaded
      in = Fixtures.bytes(3, size);
      out = new byte[size];
    }
    long t1 = System.nanoTime();
    int n = 0;
    if (oneCall) {
      n = c.doFinal(in, 0, size, out, 0);
    } else {
      for (int i = 0; i < 256; i++) {
        n += c.update(in, 0, size, out, 0);
      }
    }
    long t2 = System.nanoTime();
    System.out.printf(
        Locale.ROOT, "call_ns=%d span_ns=%d bytes=%d check=%d%n", t2 - t1, t2 - t0, n, out[7]);
  }

  private static void drive(int forks, Path out) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Map<String, List<Double>> calls = new LinkedHashMap<>();
    Map<String, List<Double>> spans = new LinkedHashMap<>();
    for (int f = 0; f < forks; f++) {
      for (String shape : SHAPES) {
        List<String> order = new ArrayList<>(PROVIDERS);
        if (f % 2 == 1) {
          Collections.reverse(order);
        }
        for (String provider : order) {
          double[] r = child(java, cp, provider, shape);
          calls.computeIfAbsent(shape + "/" + provider, k -> new ArrayList<>()).add(r[0]);
          spans.computeIfAbsent(shape + "/" + provider, k -> new ArrayList<>()).add(r[1]);
          System.err.printf(
              Locale.ROOT,
              "cold %s %s fork %d: call %.1f ms, span %.1f ms%n",
              shape,
              provider,
              f + 1,
              r[0],
              r[1]);
        }
      }
    }
    StringBuilder json = new StringBuilder("[\n");
    boolean first = true;
    for (String k : calls.keySet()) {
      String shape = k.substring(0, k.indexOf('/'));
      String provider = k.substring(k.indexOf('/') + 1);
      List<Double> c = calls.get(k);
      double slowest = c.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      List<String[]> entries = new ArrayList<>();
      entries.add(new String[] {shape + "Call", values(c)});
      if (shape.equals(SPAN)) {
        entries.add(new String[] {shape + "Span", values(spans.get(k))});
      }
      if (shape.equals(ONE_SHOT)) {
        entries.add(new String[] {shape + "CallSlowest", values(List.of(slowest))});
      }
      for (String[] entry : entries) {
        if (!first) {
          json.append(",\n");
        }
        first = false;
        json.append(result(entry[0], provider, entry[1]));
      }
    }
    json.append("\n]\n");
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write(json.toString());
    }
  }

  private static double[] child(String java, String cp, String provider, String shape)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                java,
                "-Xms512m",
                "-Xmx512m",
                "-cp",
                cp,
                ColdStart.class.getName(),
                "run",
                provider,
                shape)
            .redirectErrorStream(true)
            .start();
    String line;
    double call = Double.NaN;
    double span = Double.NaN;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = r.readLine()) != null) {
        if (line.startsWith("call_ns=")) {
          String[] parts = line.split(" ");
          call = Long.parseLong(parts[0].substring("call_ns=".length())) / 1e6;
          span = Long.parseLong(parts[1].substring("span_ns=".length())) / 1e6;
        }
      }
    }
    if (p.waitFor() != 0 || Double.isNaN(call)) {
      throw new IOException("cold-start child " + provider + " " + shape + " failed");
    }
    return new double[] {call, span};
  }

  private static String values(List<Double> v) {
    StringBuilder b = new StringBuilder();
    for (double d : v) {
      b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", d));
    }
    return b.toString();
  }

  /** One JMH-style single-shot result: score the mean, the 50th percentile the median. */
  private static String result(String method, String provider, String csv) {
    return JmhJson.result(
        "dev.osscse.bench.ColdStart." + method,
        Map.of("provider", provider),
        Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray());
  }
}
