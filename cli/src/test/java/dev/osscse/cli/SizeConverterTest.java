package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class SizeConverterTest {
  private final SizeConverter c = new SizeConverter();

  @Test
  void convert_unitsAndPlainBytes_areBinaryMultiples() {
    assertThat(c.convert("8388608")).isEqualTo(8L << 20);
    assertThat(c.convert("8M")).isEqualTo(8L << 20);
    assertThat(c.convert("8MiB")).isEqualTo(8L << 20);
    assertThat(c.convert("128k")).isEqualTo(128L << 10);
    assertThat(c.convert("1G")).isEqualTo(1L << 30);
    assertThat(c.convert("2GB")).isEqualTo(2L << 30);
  }

  @Test
  void convert_garbage_throwsConversionError() {
    assertThatThrownBy(() -> c.convert("12x")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> c.convert("-5")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> c.convert("M")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void kmsKeyId_ofBlobStartingWithUuid_isFound_elseNull() {
    String id = "0d6b4d8e-3f5a-4c1e-9b2f-1a2b3c4d5e6f";
    String blob =
        java.util.Base64.getEncoder()
            .encodeToString(
                (id + "c29tZSBjaXBoZXJ0ZXh0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(InspectCommand.kmsKeyId(blob.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo(id);
    assertThat(
            InspectCommand.kmsKeyId(
                "bm90IGEgYmxvYg==".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isNull();
  }
}
