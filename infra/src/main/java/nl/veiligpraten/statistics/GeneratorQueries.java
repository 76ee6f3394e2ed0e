package nl.veiligpraten.statistics;

/**
 * SQL of {@link StatsGenerator}: a month of plausible cases drawn in PostgreSQL itself
 * (generate_series + random), so 100,000 cases need no round trips. $1 = first instant of the
 * month, $2 = days, $3 = cases, $4 = seed.
 */
final class GeneratorQueries {

  private GeneratorQueries() {}

  static final String SEED = "SELECT setseed($1)";

  /**
   * One row per case with every drawn attribute. Help-point shares, priorities per help point,
   * office hours of the daytime organisations, evening peaks, exponential waits that grow with
   * priority and load, patience that ends in abandonment, referrals, transfers, overrides and
   * deletions on request.
   */
  static final String CASES =
      "WITH hp(hp, org, lo, hi, p0, p1, p2, rule, office) AS (VALUES "
          + "('veilig_thuis', 'veilig_thuis', 0.00, 0.28, 0.03, 0.23, 0.73, 'R2', false), "
          + "('triage', 'veilig_thuis', 0.28, 0.42, 0.04, 0.10, 0.30, 'R20', false), "
          + "('csg', 'csg', 0.42, 0.62, 0.05, 0.75, 0.85, 'R1', false), "
          + "('sense', 'sense', 0.62, 0.84, 0.01, 0.01, 0.21, 'R8', true), "
          + "('cvsn', 'cvsn', 0.84, 0.92, 0.01, 0.01, 0.41, 'R3', true), "
          + "('mores', 'mores', 0.92, 1.01, 0.01, 0.01, 0.11, 'R4', true)), "
          + "raw AS (SELECT g, random() AS u_hp, random() AS u_prio, random() AS u_role, random() AS u_age, "
          + "random() AS u_set, random() AS u_lang, random() AS u_day, random() AS u_hour, random() AS u_sec, "
          + "random() AS u_wait, random() AS u_pat, random() AS u_reply, random() AS u_dur, random() AS u_out, "
          + "random() AS u_tr, random() AS u_ref, random() AS u_to, random() AS u_refans, random() AS u_ovr, "
          + "random() AS u_del, random() AS u_intake, random() AS u_rule, random() AS u_came "
          + "FROM generate_series(1, $3) g), "
          + "placed AS (SELECT r.*, h.hp, h.org, h.rule AS hp_rule, h.office, "
          + "CASE WHEN r.u_prio < h.p0 THEN 0 WHEN r.u_prio < h.p1 THEN 1 WHEN r.u_prio < h.p2 THEN 2 ELSE 3 END AS prio, "
          + "(($1::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date + floor(r.u_day * $2)::int) AS d0 "
          + "FROM raw r JOIN hp h ON r.u_hp >= h.lo AND r.u_hp < h.hi), "
          + "timed AS (SELECT p.*, "
          + "CASE WHEN p.office AND extract(isodow FROM p.d0) >= 6 THEN p.d0 - (extract(isodow FROM p.d0)::int - 5) "
          + "ELSE p.d0 END AS d, "
          + "CASE WHEN p.office THEN 9 + floor(p.u_hour * 8)::int ELSE (8 + floor(power(p.u_hour, 0.7) * 17)::int) % 24 "
          + "END AS hr FROM placed p), "
          + "queued AS (SELECT t.*, "
          + "((t.d + make_interval(hours => t.hr, secs => t.u_sec * 3599)) AT TIME ZONE 'Europe/Amsterdam') AS q_at, "
          + "-ln(1 - t.u_wait) * (ARRAY[20, 60, 240, 600])[t.prio + 1] "
          + "* (CASE WHEN t.hr BETWEEN 19 AND 23 THEN 1.6 ELSE 1 END) AS wait_s, "
          + "-ln(1 - t.u_pat) * 1500 AS patience_s FROM timed t), "
          + "shaped AS (SELECT q.*, q.u_intake >= 0.08 AS in_queue, q.patience_s < q.wait_s AS gave_up, "
          + "q.u_reply < 0.02 AS no_reply FROM queued q), "
          + "gen_case AS (SELECT gen_random_uuid() AS case_ref, s.hp, s.org, s.prio, "
          + "s.q_at - make_interval(secs => 30 + s.u_intake * 150) AS started_at, "
          + "CASE WHEN s.in_queue THEN s.q_at END AS queued_at, "
          + "CASE WHEN s.in_queue AND NOT s.gave_up THEN s.q_at + make_interval(secs => s.wait_s) END AS assigned_at, "
          + "CASE WHEN s.in_queue AND NOT s.gave_up AND NOT s.no_reply "
          + "THEN s.q_at + make_interval(secs => s.wait_s + 3 + s.u_reply * 40) END AS first_reply_at, "
          + "CASE WHEN NOT s.in_queue THEN NULL WHEN s.gave_up THEN s.q_at + make_interval(secs => s.patience_s) "
          + "WHEN s.no_reply THEN s.q_at + make_interval(secs => s.wait_s + 60) "
          + "ELSE s.q_at + make_interval(secs => s.wait_s + 343 + s.u_dur * 3000) END AS closed_at, "
          + "s.in_queue AND s.gave_up AS abandoned, "
          + "CASE WHEN NOT s.in_queue THEN NULL WHEN s.gave_up THEN 'abandoned' WHEN s.no_reply THEN 'visitor_left' "
          + "WHEN s.prio = 0 AND s.u_out < 0.5 THEN 'emergency_112' WHEN s.u_out < 0.30 THEN 'listened' "
          + "WHEN s.u_out < 0.58 THEN 'advice' WHEN s.u_out < 0.70 THEN 'referred' WHEN s.u_out < 0.78 THEN 'police_info' "
          + "WHEN s.u_out < 0.90 THEN 'visitor_left' ELSE 'other' END AS outcome, "
          + "CASE WHEN s.u_role < 0.55 THEN 'victim' WHEN s.u_role < 0.70 THEN 'relative' WHEN s.u_role < 0.77 "
          + "THEN 'bystander' WHEN s.u_role < 0.82 THEN 'perpetrator' WHEN s.u_role < 0.92 THEN 'professional' "
          + "WHEN s.u_role < 0.97 THEN 'rather_not' END AS role, "
          + "CASE WHEN s.u_age < 0.03 THEN 'under12' WHEN s.u_age < 0.15 THEN '12-15' WHEN s.u_age < 0.28 THEN '16-17' "
          + "WHEN s.u_age < 0.55 THEN '18-24' WHEN s.u_age < 0.90 THEN (CASE WHEN s.hp = 'sense' THEN '18-24' "
          + "ELSE '25plus' END) WHEN s.u_age < 0.94 THEN 'unknown' WHEN s.u_age < 0.97 THEN 'rather_not' END AS age_band, "
          + "CASE WHEN s.u_set >= 0.95 THEN NULL WHEN s.hp = 'cvsn' THEN 'sport' WHEN s.hp = 'mores' THEN 'culture_media' "
          + "WHEN s.hp = 'veilig_thuis' THEN (ARRAY['home', 'home', 'partner', 'partner', 'care'])[1 + floor(s.u_set / 0.95 * 5)::int] "
          + "ELSE (ARRAY['home', 'partner', 'education', 'work', 'street', 'online', 'elsewhere', 'rather_not', "
          + "'religion', 'care'])[1 + floor(s.u_set / 0.95 * 10)::int] END AS setting, "
          + "CASE WHEN s.u_lang < 0.85 THEN 'nl' WHEN s.u_lang < 0.92 THEN 'nl_easy' ELSE 'en' END AS lang, "
          + "CASE WHEN s.u_came < 0.06 THEN 'gp' WHEN s.u_came < 0.14 THEN 'school' WHEN s.u_came < 0.18 THEN 'police' "
          + "WHEN s.u_came < 0.33 THEN 'friend_family' WHEN s.u_came < 0.60 THEN 'search' WHEN s.u_came < 0.68 "
          + "THEN 'campaign' WHEN s.u_came < 0.72 THEN 'other' END AS came_from, "
          + "CASE WHEN s.u_rule < 0.06 THEN 'chosen_by_visitor' ELSE s.hp_rule END AS rule, "
          + "CASE WHEN NOT s.in_queue OR s.gave_up OR s.no_reply THEN 0 WHEN s.u_tr < 0.003 THEN 3 "
          + "WHEN s.u_tr < 0.015 THEN 2 WHEN s.u_tr < 0.065 THEN 1 ELSE 0 END AS transfers, "
          + "(s.in_queue AND NOT s.gave_up AND NOT s.no_reply AND (s.u_out BETWEEN 0.58 AND 0.70 OR s.u_ref < 0.04)) "
          + "AS referred, "
          + "(ARRAY['csg', 'veilig_thuis', 'sense', 'cvsn', 'mores', 'slachtofferhulp', 'helpwanted', 'police'])"
          + "[1 + floor(s.u_to * 8)::int] AS ref_to, "
          + "CASE WHEN s.u_refans < 0.60 THEN 'referral_accepted' WHEN s.u_refans < 0.85 THEN 'referral_declined' END "
          + "AS ref_answer, s.u_refans < 0.30 AS picked_up, "
          + "CASE WHEN s.in_queue AND NOT s.gave_up AND NOT s.no_reply AND s.u_ovr < 0.03 THEN (ARRAY['age_mismatch', "
          + "'setting_mismatch', 'acute', 'visitor_request', 'capacity'])[1 + floor(s.u_ovr / 0.03 * 5)::int] END "
          + "AS override_reason, "
          + "s.in_queue AND s.u_del < 0.003 AS deleted "
          + "FROM shaped s) ";

  /**
   * Every event of every case in one statement (cases drawn in the CTE above), so the projection
   * trigger runs once.
   */
  static final String EVENTS =
      CASES
          + "INSERT INTO stat_event (case_ref, kind, at, org_id, help_point, priority, role, "
          + "age_band, setting, came_from, lang, rule, rules_version, outcome, reason, to_org, to_help_point) "
          + "SELECT g.case_ref, e.kind, e.at, "
          + "CASE WHEN e.kind = 'started' THEN NULL ELSE g.org END, "
          + "CASE WHEN e.kind = 'started' THEN NULL ELSE g.hp END, "
          + "CASE WHEN e.kind = 'started' THEN NULL ELSE g.prio END, "
          + "CASE WHEN e.kind = 'queued' THEN g.role END, CASE WHEN e.kind = 'queued' THEN g.age_band END, "
          + "CASE WHEN e.kind = 'queued' THEN g.setting END, CASE WHEN e.kind = 'queued' THEN g.came_from END, "
          + "CASE WHEN e.kind = 'queued' THEN g.lang END, "
          + "CASE WHEN e.kind = 'queued' THEN g.rule END, CASE WHEN e.kind = 'queued' THEN 'gen-1' END, "
          + "e.outcome, e.reason, "
          + "CASE WHEN e.to_hp IN ('csg', 'veilig_thuis', 'sense', 'cvsn', 'mores') THEN e.to_hp END, e.to_hp "
          + "FROM gen_case g CROSS JOIN LATERAL (VALUES "
          + "('started', g.started_at, NULL, NULL, NULL), "
          + "('queued', g.queued_at, NULL, NULL, NULL), "
          + "('assigned', g.assigned_at, NULL, NULL, NULL), "
          + "('first_reply', g.first_reply_at, NULL, NULL, NULL), "
          + "('closed', g.closed_at, g.outcome, NULL, NULL), "
          + "('abandoned', CASE WHEN g.abandoned THEN g.closed_at END, NULL, NULL, NULL), "
          + "('transferred', CASE WHEN g.transfers >= 1 THEN g.first_reply_at + interval '2 minutes' END, NULL, NULL, NULL), "
          + "('transferred', CASE WHEN g.transfers >= 2 THEN g.first_reply_at + interval '4 minutes' END, NULL, NULL, NULL), "
          + "('transferred', CASE WHEN g.transfers >= 3 THEN g.first_reply_at + interval '6 minutes' END, NULL, NULL, NULL), "
          + "('overridden', CASE WHEN g.override_reason IS NOT NULL THEN g.first_reply_at + interval '30 seconds' END, "
          + "NULL, g.override_reason, NULL), "
          + "('referral_offered', CASE WHEN g.referred THEN g.first_reply_at + interval '5 minutes' END, NULL, NULL, "
          + "CASE WHEN g.ref_to = g.hp THEN 'slachtofferhulp' ELSE g.ref_to END), "
          + "(g.ref_answer, CASE WHEN g.referred AND g.ref_answer IS NOT NULL THEN g.first_reply_at + interval '7 minutes' END, "
          + "NULL, NULL, CASE WHEN g.ref_to = g.hp THEN 'slachtofferhulp' ELSE g.ref_to END), "
          + "('referral_picked_up', CASE WHEN g.referred AND g.picked_up THEN g.first_reply_at + interval '1 day' END, "
          + "NULL, NULL, CASE WHEN g.ref_to = g.hp THEN 'slachtofferhulp' ELSE g.ref_to END), "
          + "('deleted', CASE WHEN g.deleted THEN coalesce(g.closed_at, g.queued_at) + interval '1 hour' END, NULL, NULL, "
          + "NULL)) AS e(kind, at, outcome, reason, to_hp) "
          + "WHERE e.at IS NOT NULL";

  /** Counselors online every 15 minutes: the daytime organisations staff office hours only. */
  static final String CAPACITY =
      "INSERT INTO stat_capacity_sample (org_id, sampled_at, counselors_online, "
          + "queue_length) SELECT o.org, t, CASE WHEN o.office AND (extract(isodow FROM t AT TIME ZONE 'Europe/Amsterdam') "
          + ">= 6 OR extract(hour FROM t AT TIME ZONE 'Europe/Amsterdam') NOT BETWEEN 9 AND 16) THEN 0 "
          + "ELSE greatest(1, round(o.base * (0.6 + 0.8 * random())))::int END, 0 "
          + "FROM (VALUES ('csg', 6, false), ('veilig_thuis', 9, false), ('sense', 5, true), ('cvsn', 2, true), "
          + "('mores', 2, true)) AS o(org, base, office) "
          + "CROSS JOIN generate_series($1::timestamptz, $1::timestamptz + make_interval(days => $2) - interval '15 minutes', "
          + "interval '15 minutes') AS t ON CONFLICT (org_id, sampled_at) DO NOTHING";
}
