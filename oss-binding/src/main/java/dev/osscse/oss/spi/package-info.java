/**
 * The storage SPI of the OSS binding: {@link dev.osscse.oss.spi.ObjectStore}, the contract storage
 * adapters implement, and {@link dev.osscse.oss.spi.ListPartsReader}. No SDK type appears here.
 */
package dev.osscse.oss.spi;
