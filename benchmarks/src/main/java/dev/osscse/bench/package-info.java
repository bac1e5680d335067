/** Package dev.osscse.bench. */
package dev.osscse.bench;
