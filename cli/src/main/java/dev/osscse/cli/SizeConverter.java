package dev.osscse.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Byte sizes: {@code 8388608}, {@code 8M}, {@code 8MiB}, {@code 512K}, {@code 1G}. */
final class SizeConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("IB")) {
      v = v.substring(0, v.length() - 2);
    } else if (v.endsWith("B") && v.length() > 1 && !Character.isDigit(v.charAt(v.length() - 2))) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.endsWith("K")) {
      unit = 1024;
    } else if (v.endsWith("M")) {
      unit = 1024 * 1024;
    } else if (v.endsWith("G")) {
      unit = 1024L * 1024 * 1024;
    }
    if (unit != 1) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new TypeConversionException("size out of range: '" + value + "'");
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a size (bytes, or with K, M, G / KiB, MiB, GiB)");
    }
  }
}
