/** A test application using the starter as a Boot user would: properties only. */
package io.github.regionrouter.spring.notes;
