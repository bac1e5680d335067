package dev.osscse.hadoop.spark;

import dev.osscse.hadoop.LocalEndpoint;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** One local-mode SparkSession per test JVM, configured for osscse:// on the local endpoint. */
final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      LocalEndpoint endpoint = LocalEndpoint.get();
      Configuration conf = new Configuration(false);
      endpoint.applyTo(conf);
      SparkSession.Builder b =
          SparkSession.builder()
              .master("local[2]")
              .appName("osscse-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1");
      for (Map.Entry<String, String> e : conf) {
        b.config("spark.hadoop." + e.getKey(), e.getValue());
      }
      session = b.getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
