/** Package dev.osscse.oss. */
package dev.osscse.oss;
