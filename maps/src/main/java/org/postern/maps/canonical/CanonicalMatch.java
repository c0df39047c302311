package org.postern.maps.canonical;

/**
 * One canonical(5) or generic(5) entry that applied to an address: the key that matched, its
 * value as written, and the address it gives (the {@code @domain} form filled in, the unmatched
 * extension put back where asked). Immutable.
 */
public record CanonicalMatch(String key, String value, String address) {}
