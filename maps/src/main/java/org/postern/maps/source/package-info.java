/**
 * The text formats admins edit, read as postmap (Postfix) and makemap (sendmail) read them.
 *
 * <p>Pure readers: bytes in, resolved entries and {@code FILE, line N} diagnostics out. They know
 * nothing of mail, open no tables and write nothing; compiling the entries is the table layer's
 * job.
 */
package org.postern.maps.source;
