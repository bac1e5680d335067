/** Package dev.osscse.local.oss. */
package dev.osscse.local.oss;
