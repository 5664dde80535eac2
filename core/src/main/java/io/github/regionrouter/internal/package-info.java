/**
 * The implementation: the routing data source, the lazily bound connection, the allocation-free router,
 * read-your-writes pins and the replica monitor. Not API: anything here may change in any release.
 */
package io.github.regionrouter.internal;
