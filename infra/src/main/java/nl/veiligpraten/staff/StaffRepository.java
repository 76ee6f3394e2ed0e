package nl.veiligpraten.staff;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Organisations, staff users and their console sessions. */
public final class StaffRepository {

  private final Pool pool;

  public StaffRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> createOrganisation(String id, String name) {
    return pool.preparedQuery(StaffQueries.INSERT_ORG).execute(Tuple.of(id, name)).mapEmpty();
  }

  public Future<Long> countOrganisations() {
    return pool.query(StaffQueries.COUNT_ORGS)
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Creates a user with an already hashed password (hash on a worker thread first). */
  public Future<StaffUser> createUser(
      String orgId, String username, String displayName, String role, String hash) {
    return pool.preparedQuery(StaffQueries.INSERT_USER)
        .execute(Tuple.of(orgId, username, displayName, role, hash))
        .map(rows -> StaffUser.from(rows.iterator().next()));
  }

  public Future<Optional<StaffUser>> byUsername(String username) {
    return pool.preparedQuery(StaffQueries.BY_USERNAME)
        .execute(Tuple.of(username))
        .map(StaffRepository::firstUser);
  }

  public Future<Optional<StaffUser>> byId(long id) {
    return pool.preparedQuery(StaffQueries.BY_ID)
        .execute(Tuple.of(id))
        .map(StaffRepository::firstUser);
  }

  /**
   * The account a login may use: active and enrolled only (a disabled or invited one is not found).
   */
  public Future<Optional<StaffUser>> forLogin(String username) {
    return pool.preparedQuery(StaffQueries.LOGIN_BY_USERNAME)
        .execute(Tuple.of(username))
        .map(StaffRepository::firstUser);
  }

  public Future<Void> recordSignIn(long userId) {
    return pool.preparedQuery(StaffQueries.RECORD_SIGN_IN).execute(Tuple.of(userId)).mapEmpty();
  }

  // ---- staff lifecycle (issue 21)
  // -------------------------------------------------------------------------------

  /**
   * Creates an invited account (not enrolled, no usable password: {@code placeholderHash} is the
   * hash of a random secret nobody keeps) and its one-time enrolment link, in one transaction.
   * Resolves with the account and when the link expires.
   */
  public Future<Invited> invite(
      String orgId,
      String username,
      String displayName,
      String role,
      List<String> skills,
      int capacity,
      String placeholderHash,
      byte[] tokenHash,
      String purpose,
      long ttlSeconds) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(StaffQueries.INSERT_INVITED)
                .execute(
                    Tuple.of(
                        orgId,
                        username,
                        displayName,
                        role,
                        placeholderHash,
                        skills.toArray(new String[0]),
                        capacity))
                .compose(
                    rows -> {
                      StaffUser user = StaffUser.from(rows.iterator().next());
                      return conn.preparedQuery(StaffQueries.INSERT_ENROLMENT)
                          .execute(
                              Tuple.of(
                                  Buffer.buffer(tokenHash), user.id(), purpose, (int) ttlSeconds))
                          .map(r -> new Invited(user, r.iterator().next().getOffsetDateTime(0)));
                    }));
  }

  /**
   * A new enrolment link for an existing account; earlier unused links stop working. With {@code
   * resetTwoFactor} the account's TOTP secret goes, it counts as not enrolled (no sign-in) and all
   * its sessions end, in the same transaction. Resolves with the link's expiry and the ended
   * sessions.
   */
  public Future<NewEnrolment> newEnrolment(
      long userId, byte[] tokenHash, String purpose, long ttlSeconds, boolean resetTwoFactor) {
    return pool.withTransaction(
        conn -> {
          Future<List<byte[]>> reset =
              resetTwoFactor
                  ? conn.preparedQuery(StaffQueries.RESET_TWO_FACTOR)
                      .execute(Tuple.of(userId))
                      .compose(
                          r ->
                              conn.preparedQuery(StaffQueries.DELETE_USER_SESSIONS)
                                  .execute(Tuple.of(userId)))
                      .map(StaffRepository::hashes)
                  : Future.succeededFuture(List.of());
          return reset.compose(
              ended ->
                  conn.preparedQuery(StaffQueries.DROP_OPEN_ENROLMENTS)
                      .execute(Tuple.of(userId))
                      .compose(
                          v ->
                              conn.preparedQuery(StaffQueries.INSERT_ENROLMENT)
                                  .execute(
                                      Tuple.of(
                                          Buffer.buffer(tokenHash),
                                          userId,
                                          purpose,
                                          (int) ttlSeconds)))
                      .map(r -> new NewEnrolment(r.iterator().next().getOffsetDateTime(0), ended)));
        });
  }

  private static List<byte[]> hashes(io.vertx.sqlclient.RowSet<Row> rows) {
    List<byte[]> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.getBuffer(0).getBytes()));
    return out;
  }

  /** The enrolment link with this token hash and its account, used or not. */
  public Future<Optional<Enrolment>> enrolment(byte[] tokenHash) {
    return pool.preparedQuery(StaffQueries.ENROLMENT)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Enrolment(
                      StaffUser.from(r),
                      r.getString("purpose"),
                      r.getOffsetDateTime("expires_at"),
                      r.getOffsetDateTime("used_at") != null,
                      r.getBoolean("expired"),
                      r.getInteger("failed_codes"),
                      r.getOffsetDateTime("disabled_at") != null));
            });
  }

  public Future<Void> enrolmentFailedCode(byte[] tokenHash) {
    return pool.preparedQuery(StaffQueries.ENROLMENT_FAILED_CODE)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .mapEmpty();
  }

  /**
   * Uses the link up and sets the password (already hashed) and the pending TOTP secret, in one
   * transaction; any sessions of the account end (resolves with them). Empty (and nothing changed)
   * when the link was used, expired or burnt meanwhile, or the account has no pending secret or was
   * disabled.
   */
  public Future<Optional<List<byte[]>>> finishEnrolment(
      byte[] tokenHash, long userId, String passwordHash, long totpStep, int maxFailedCodes) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(StaffQueries.USE_ENROLMENT)
                    .execute(Tuple.of(Buffer.buffer(tokenHash), maxFailedCodes))
                    .compose(
                        used -> {
                          if (used.rowCount() != 1 || used.iterator().next().getLong(0) != userId) {
                            return Future.failedFuture(new NotChanged());
                          }
                          return conn.preparedQuery(StaffQueries.FINISH_ENROLMENT)
                              .execute(Tuple.of(userId, passwordHash, totpStep));
                        })
                    .compose(
                        done ->
                            done.rowCount() == 1
                                ? conn.preparedQuery(StaffQueries.DELETE_USER_SESSIONS)
                                    .execute(Tuple.of(userId))
                                    .map(rows -> Optional.of(hashes(rows)))
                                : Future.<Optional<List<byte[]>>>failedFuture(new NotChanged())))
        .recover(
            e ->
                e instanceof NotChanged
                    ? Future.succeededFuture(Optional.empty())
                    : Future.failedFuture(e));
  }

  /**
   * Staff accounts as the admin screen shows them: one organisation, or all ({@code orgId} null).
   */
  public Future<List<AdminView>> adminList(String orgId) {
    Future<io.vertx.sqlclient.RowSet<Row>> rows =
        orgId == null
            ? pool.query(StaffQueries.ADMIN_LIST_ALL).execute()
            : pool.preparedQuery(StaffQueries.ADMIN_LIST_ORG).execute(Tuple.of(orgId));
    return rows.map(
        rs -> {
          List<AdminView> out = new ArrayList<>();
          rs.forEach(r -> out.add(AdminView.from(r)));
          return out;
        });
  }

  public Future<Optional<AdminView>> adminView(long userId) {
    return pool.preparedQuery(StaffQueries.ADMIN_ONE)
        .execute(Tuple.of(userId))
        .map(
            rs ->
                rs.rowCount() == 0
                    ? Optional.<AdminView>empty()
                    : Optional.of(AdminView.from(rs.iterator().next())));
  }

  public Future<Void> updateProfile(
      long userId, String displayName, String role, List<String> skills, int capacity) {
    return pool.preparedQuery(StaffQueries.UPDATE_PROFILE)
        .execute(Tuple.of(userId, displayName, role, skills.toArray(new String[0]), capacity))
        .mapEmpty();
  }

  /**
   * Disables the account, ends all its sessions and unused enrolment links (one transaction);
   * resolves with the ended sessions, or empty when it was disabled already.
   */
  public Future<Optional<List<byte[]>>> disable(long userId) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(StaffQueries.DISABLE)
                .execute(Tuple.of(userId))
                .compose(
                    r ->
                        conn.preparedQuery(StaffQueries.DELETE_USER_SESSIONS)
                            .execute(Tuple.of(userId))
                            .compose(
                                sessions ->
                                    conn.preparedQuery(StaffQueries.DROP_OPEN_ENROLMENTS)
                                        .execute(Tuple.of(userId))
                                        .map(
                                            v ->
                                                r.rowCount() == 1
                                                    ? Optional.of(hashes(sessions))
                                                    : Optional.<List<byte[]>>empty()))));
  }

  /**
   * Ends every session of the account (it must sign in again); resolves with the hashes of the
   * ended sessions.
   */
  public Future<List<byte[]>> endSessions(long userId) {
    return pool.preparedQuery(StaffQueries.DELETE_USER_SESSIONS)
        .execute(Tuple.of(userId))
        .map(StaffRepository::hashes);
  }

  public Future<Boolean> enable(long userId) {
    return pool.preparedQuery(StaffQueries.ENABLE)
        .execute(Tuple.of(userId))
        .map(r -> r.rowCount() == 1);
  }

  public Future<Long> activePlatformAdmins() {
    return pool.query(StaffQueries.ACTIVE_PLATFORM_ADMINS)
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Marks a transaction that must roll back without an error (a lost race, nothing changed). */
  private static final class NotChanged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotChanged() {
      super(null, null, false, false);
    }
  }

  /** A new enrolment link's expiry and the sessions a two-factor reset ended (their id hashes). */
  public record NewEnrolment(OffsetDateTime expiresAt, List<byte[]> endedSessions) {}

  /** An invited account and when its enrolment link expires. */
  public record Invited(StaffUser user, OffsetDateTime expiresAt) {}

  /** An enrolment link's state and its account. */
  public record Enrolment(
      StaffUser user,
      String purpose,
      OffsetDateTime expiresAt,
      boolean used,
      boolean expired,
      int failedCodes,
      boolean disabled) {}

  /** One account on the admin screen: profile, state and last sign-in; never a secret. */
  public record AdminView(
      long id,
      String orgId,
      String username,
      String displayName,
      String role,
      List<String> skills,
      int capacity,
      OffsetDateTime disabledAt,
      OffsetDateTime enrolledAt,
      OffsetDateTime lastSignInAt,
      boolean twoFactor,
      boolean online,
      boolean sso) {

    /** An account not bound to single sign-on. */
    public AdminView(
        long id,
        String orgId,
        String username,
        String displayName,
        String role,
        List<String> skills,
        int capacity,
        OffsetDateTime disabledAt,
        OffsetDateTime enrolledAt,
        OffsetDateTime lastSignInAt,
        boolean twoFactor,
        boolean online) {
      this(
          id,
          orgId,
          username,
          displayName,
          role,
          skills,
          capacity,
          disabledAt,
          enrolledAt,
          lastSignInAt,
          twoFactor,
          online,
          false);
    }

    static AdminView from(Row r) {
      return new AdminView(
          r.getLong("id"),
          r.getString("org_id"),
          r.getString("username"),
          r.getString("display_name"),
          r.getString("role"),
          List.of(r.getArrayOfStrings("skills")),
          r.getInteger("capacity"),
          r.getOffsetDateTime("disabled_at"),
          r.getOffsetDateTime("enrolled_at"),
          r.getOffsetDateTime("last_sign_in_at"),
          r.getBoolean("two_factor"),
          r.getBoolean("online"),
          r.getBoolean("sso"));
    }
  }

  public Future<Void> createSession(byte[] idHash, long userId, String csrfToken) {
    return pool.preparedQuery(StaffQueries.INSERT_SESSION)
        .execute(Tuple.of(Buffer.buffer(idHash), userId, csrfToken))
        .mapEmpty();
  }

  public Future<Optional<SessionRow>> session(byte[] idHash) {
    return pool.preparedQuery(StaffQueries.SESSION)
        .execute(Tuple.of(Buffer.buffer(idHash)))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new SessionRow(
                      StaffUser.from(row),
                      row.getString("csrf_token"),
                      row.getOffsetDateTime("created_at"),
                      row.getOffsetDateTime("last_seen_at"),
                      row.getOffsetDateTime("sso_checked_at")));
            });
  }

  /**
   * When a session was created and last used; {@code ssoCheckedAt} is null for a local sign-in,
   * else when the organisation's provider last confirmed the person.
   */
  public record SessionTimes(
      byte[] idHash,
      OffsetDateTime createdAt,
      OffsetDateTime lastSeenAt,
      OffsetDateTime ssoCheckedAt) {}

  /**
   * The times of those of the given sessions that still exist (a logged-out or expired one has no
   * row).
   */
  public Future<List<SessionTimes>> sessionTimes(List<byte[]> idHashes) {
    Buffer[] hashes = idHashes.stream().map(Buffer::buffer).toArray(Buffer[]::new);
    return pool.preparedQuery(StaffQueries.SESSION_TIMES)
        .execute(Tuple.of((Object) hashes))
        .map(
            rows -> {
              List<SessionTimes> out = new ArrayList<>();
              for (Row row : rows) {
                out.add(
                    new SessionTimes(
                        row.getBuffer("id_hash").getBytes(),
                        row.getOffsetDateTime("created_at"),
                        row.getOffsetDateTime("last_seen_at"),
                        row.getOffsetDateTime("sso_checked_at")));
              }
              return out;
            });
  }

  public Future<Void> touchSession(byte[] idHash) {
    return pool.preparedQuery(StaffQueries.TOUCH_SESSION)
        .execute(Tuple.of(Buffer.buffer(idHash)))
        .mapEmpty();
  }

  public Future<Void> deleteSession(byte[] idHash) {
    return pool.preparedQuery(StaffQueries.DELETE_SESSION)
        .execute(Tuple.of(Buffer.buffer(idHash)))
        .mapEmpty();
  }

  /**
   * Stores a TOTP secret offered at enrolment; it is not used until {@link #confirmTotp} succeeds.
   */
  public Future<Void> setPendingTotp(long userId, byte[] secret) {
    return pool.preparedQuery(StaffQueries.SET_PENDING_TOTP)
        .execute(Tuple.of(userId, Buffer.buffer(secret)))
        .mapEmpty();
  }

  public Future<Optional<byte[]>> pendingTotp(long userId) {
    return pool.preparedQuery(StaffQueries.PENDING_TOTP)
        .execute(Tuple.of(userId))
        .map(
            rows -> {
              if (rows.rowCount() == 0 || rows.iterator().next().getBuffer(0) == null) {
                return Optional.empty();
              }
              return Optional.of(rows.iterator().next().getBuffer(0).getBytes());
            });
  }

  /**
   * Makes the pending secret the active one; false when there is none or the step was not newer.
   */
  public Future<Boolean> confirmTotp(long userId, long step) {
    return pool.preparedQuery(StaffQueries.CONFIRM_TOTP)
        .execute(Tuple.of(userId, step))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Records a used TOTP step; false when this step or a later one was used before (replay). */
  public Future<Boolean> acceptTotpStep(long userId, long step) {
    return pool.preparedQuery(StaffQueries.ACCEPT_TOTP_STEP)
        .execute(Tuple.of(userId, step))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Seals every TOTP secret (active or pending) still stored in plain form; returns how many
   * accounts changed. Idempotent: sealed values are left alone, so every node may run it at
   * start-up.
   */
  public Future<Integer> sealPlainTotpSecrets(TotpSealer sealer) {
    return pool.query(StaffQueries.TOTP_SECRETS)
        .execute()
        .compose(
            rows -> {
              List<Future<Integer>> updates = new ArrayList<>();
              for (Row row : rows) {
                long id = row.getLong("id");
                Buffer secret = row.getBuffer("totp_secret");
                Buffer pending = row.getBuffer("totp_pending");
                boolean plainSecret = secret != null && !TotpSealer.isSealed(secret.getBytes());
                boolean plainPending = pending != null && !TotpSealer.isSealed(pending.getBytes());
                if (!plainSecret && !plainPending) {
                  continue;
                }
                Buffer newSecret =
                    plainSecret ? Buffer.buffer(sealer.seal(id, secret.getBytes())) : secret;
                Buffer newPending =
                    plainPending ? Buffer.buffer(sealer.seal(id, pending.getBytes())) : pending;
                updates.add(
                    pool.preparedQuery(StaffQueries.SEAL_TOTP)
                        .execute(Tuple.of(id, newSecret, newPending, secret, pending))
                        .map(r -> r.rowCount()));
              }
              return Future.all(updates)
                  .map(all -> updates.stream().mapToInt(Future::result).sum());
            });
  }

  /** Sets available / away / busy (validated by the caller and by a CHECK constraint). */
  public Future<Void> setStatus(long userId, String status) {
    return pool.preparedQuery(StaffQueries.SET_STATUS).execute(Tuple.of(userId, status)).mapEmpty();
  }

  /**
   * Staff of one organisation with status, online flag (present now on any node, see {@link
   * nl.veiligpraten.presence.Presence}) and current number of chats (supervisor board).
   */
  public Future<List<StaffLoad>> staffOf(String orgId) {
    return pool.preparedQuery(StaffQueries.ORG_STAFF)
        .execute(Tuple.of(orgId))
        .map(
            rows -> {
              List<StaffLoad> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new StaffLoad(
                        r.getLong("id"),
                        r.getString("display_name"),
                        r.getString("role"),
                        r.getString("status"),
                        r.getInteger("capacity"),
                        List.of(r.getArrayOfStrings("skills")),
                        r.getBoolean("online"),
                        r.getLong("load").intValue()));
              }
              return out;
            });
  }

  public Future<Optional<String>> organisationName(String orgId) {
    return pool.preparedQuery(StaffQueries.ORG_NAME)
        .execute(Tuple.of(orgId))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.<String>empty()
                    : Optional.of(rows.iterator().next().getString(0)));
  }

  /** One staff member's availability and load. */
  public record StaffLoad(
      long id,
      String displayName,
      String role,
      String status,
      int capacity,
      List<String> skills,
      boolean online,
      int load) {}

  /**
   * A stored session joined with its user; {@code ssoCheckedAt} is null for a local sign-in, else
   * when the organisation's provider last confirmed the person (single sign-on).
   */
  public record SessionRow(
      StaffUser user,
      String csrfToken,
      OffsetDateTime createdAt,
      OffsetDateTime lastSeenAt,
      OffsetDateTime ssoCheckedAt) {}

  /** The one account a lookup by a unique key found, or empty. */
  private static Optional<StaffUser> firstUser(RowSet<Row> rows) {
    return rows.rowCount() == 0
        ? Optional.empty()
        : Optional.of(StaffUser.from(rows.iterator().next()));
  }
}
