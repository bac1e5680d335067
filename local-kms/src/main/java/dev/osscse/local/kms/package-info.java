/** Package dev.osscse.local.kms. */
package dev.osscse.local.kms;
