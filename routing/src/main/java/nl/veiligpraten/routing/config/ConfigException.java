package nl.veiligpraten.routing.config;

/**
 * A configuration file is missing, malformed or inconsistent. The message always names the file,
 * the line (when known) and the path inside the file, and says what is wrong, so an organisation
 * that edited a file can fix it without reading Java.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String path;
  private final String problem;

  public ConfigException(String file, int line, String path, String problem) {
    super(format(file, line, path, problem));
    this.file = file;
    this.line = line;
    this.path = path;
    this.problem = problem;
  }

  public ConfigException(String file, int line, String path, String problem, Throwable cause) {
    this(file, line, path, problem);
    initCause(cause);
  }

  private static String format(String file, int line, String path, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(", line ").append(line);
    }
    if (path != null && !path.isEmpty()) {
      sb.append(", at ").append(path);
    }
    return sb.append(": ").append(problem).toString();
  }

  /**
   * File name or location (a path for overrides, {@code classpath:config/...} for bundled
   * defaults).
   */
  public String file() {
    return file;
  }

  /** 1-based line number, or 0 when not known. */
  public int line() {
    return line;
  }

  /** Dotted path inside the file, e.g. {@code rules[3].target}; may be empty. */
  public String path() {
    return path;
  }

  /** What is wrong, without location. */
  public String problem() {
    return problem;
  }
}
