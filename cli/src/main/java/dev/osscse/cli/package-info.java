/** Package dev.osscse.cli. */
package dev.osscse.cli;
