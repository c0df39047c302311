package org.postern.compat.migrate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Reads the macro calls of a sendmail .mc file the way m4 sees them, without expanding
 * anything: {@code dnl} deletes through the newline, {@code `...'} quotes nest and lose one
 * level in arguments, commas split arguments only outside quotes and inner parentheses, and
 * {@code #} starts a comment only until {@code include(`.../cf.m4')}, whose cfhead.m4 turns
 * m4 comments off (so a later {@code # FEATURE(`x')} is a call, as cf/README warns). The
 * branches of {@code ifdef} and {@code ifelse} are read as if their condition held (Debian's
 * generated {@code starttls.m4} and {@code sasl.m4} wrap their defines in version checks):
 * their quotes are looked through, and the calls inside are calls.
 *
 * <p>Trusts nothing in the text; an unterminated quote or call is an McSyntaxException
 * naming the file and line where it began. Text outside calls is skipped. One instance per
 * file; not thread-safe.
 */
final class McScanner {
  /** Conditionals whose branches are read as code. */
  private static final Set<String> CONDITIONALS = Set.of("ifdef", "ifelse");
  /** Macros used without parentheses that start hand-written .cf text (cf/README). */
  private static final Set<String> BARE = Set.of("LOCAL_CONFIG", "LOCAL_RULESETS",
      "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2", "LOCAL_RULE_3", "LOCAL_NET_CONFIG");

  private final String text;
  private final String file;
  private int pos;
  private int line = 1;
  private boolean comments;
  /** Parentheses open outside calls, and the depths at which a conditional's region ends. */
  private int depth;
  private final Deque<Integer> conditionals = new ArrayDeque<>();

  private McScanner(String text, String file, boolean comments) {
    this.text = text;
    this.file = file;
    this.comments = comments;
  }

  /**
   * The calls of {@code text}, in order; {@code file} names it in origins and errors;
   * {@code comments}: m4's {@code #} comments are still on (no cf.m4 included before).
   */
  static List<McCall> scan(String text, String file, boolean comments)
      throws McSyntaxException {
    return new McScanner(text, file, comments).calls();
  }

  private List<McCall> calls() throws McSyntaxException {
    List<McCall> calls = new ArrayList<>();
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if ((c == '`' || c == '\'') && !conditionals.isEmpty()) {
        advance();
      } else if (c == '`') {
        quoted();
      } else if (c == '(' || c == ')') {
        depth += c == '(' ? 1 : -1;
        if (c == ')' && !conditionals.isEmpty() && conditionals.peek() == depth) {
          conditionals.pop();
        }
        advance();
      } else if (c == '#' && comments) {
        toNextLine();
      } else if (isNameStart(c)) {
        int start = line;
        String name = name();
        if (name.equals("dnl")) {
          toNextLine();
        } else if (CONDITIONALS.contains(name) && pos < text.length()
            && text.charAt(pos) == '(') {
          conditionals.push(depth++);
          advance();
        } else if (pos < text.length() && text.charAt(pos) == '(') {
          McCall call = new McCall(name, arguments(start), file, start);
          if (name.equals("include") && call.arg(0).endsWith("/cf.m4")) {
            comments = false;
          }
          calls.add(call);
        } else if (BARE.contains(name)) {
          calls.add(new McCall(name, List.of(), file, start));
        }
      } else {
        advance();
      }
    }
    return calls;
  }

  /** The arguments after the {@code (} at pos, through the matching {@code )}. */
  private List<String> arguments(int start) throws McSyntaxException {
    List<String> args = new ArrayList<>();
    StringBuilder arg = new StringBuilder();
    int depth = 0;
    advance();
    while (true) {
      if (pos >= text.length()) {
        throw new McSyntaxException(file + ":" + start, "unterminated macro call");
      }
      char c = text.charAt(pos);
      if (c == '`') {
        arg.append(quoted());
      } else if (isNameStart(c)) {
        String name = name();
        if (name.equals("dnl")) {
          toNextLine();
        } else {
          arg.append(name);
        }
      } else if (c == ',' && depth == 0) {
        args.add(arg.toString().strip());
        arg.setLength(0);
        advance();
      } else if (c == ')' && depth == 0) {
        advance();
        args.add(arg.toString().strip());
        return args;
      } else {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        arg.append(c);
        advance();
      }
    }
  }

  /** The text of the quote at pos without its outer quotes (inner ones stay). */
  private String quoted() throws McSyntaxException {
    int start = line;
    StringBuilder out = new StringBuilder();
    int depth = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      advance();
      if (c == '`' && depth++ == 0) {
        continue;
      }
      if (c == '\'' && --depth == 0) {
        return out.toString();
      }
      out.append(c);
    }
    throw new McSyntaxException(file + ":" + start, "unterminated quote");
  }

  private String name() {
    int from = pos;
    while (pos < text.length() && (isNameStart(text.charAt(pos))
        || Character.isDigit(text.charAt(pos)))) {
      pos++;
    }
    return text.substring(from, pos);
  }

  private void toNextLine() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
    advance();
  }

  private void advance() {
    if (pos < text.length() && text.charAt(pos++) == '\n') {
      line++;
    }
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
