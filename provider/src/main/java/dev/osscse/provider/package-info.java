/** Package dev.osscse.provider. */
package dev.osscse.provider;
