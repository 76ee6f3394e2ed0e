package nl.veiligpraten.routing;

import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.OpeningHours;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rule N1 "no dead ends" (brief §4.2 v2), exhaustively: per role, every combination of the answers the rules read,
 * at every hour of a week (168 clock times) with nobody staffed and with every queue staffed. Every decision must
 * contain a suggestion that is reachable now (a staffed open queue, or a phone or chat line open now) and free; an
 * info card without central contact data (supplement) never stands alone.
 *
 * <p>How it stays fast. (1) Answers: each question contributes one representative per class of codes the rules
 * cannot tell apart (e.g. Q3 "today" and "1-7 days" are only ever read together; Q2 12-15 and 16-17 fall on the same
 * side of every configured age limit); {@link #classesCoverTheRules()} checks these classes against the configured
 * conditions. Q4 and Q7 take every single answer, skip, and the combination the rules read together (physical with
 * verbal, R12). Professionals: B1_sector is only read as "Q5 = X or B1_sector = X", so the sectors come from the Q5
 * dimension and B1 is crossed as five pairs; a skipped Q1 is read exactly like "rather_not". (2) Time: the engine reads the clock only through each help point's {@link Availability}, so the
 * 2 x 168 moments are grouped by which channels are open; each group is decided once per ranking, and a failure
 * prints the answers, the staffing and the first clock time of the group.
 */
@DisplayName("Rule N1: no dead ends, for every answer the rules read, per role, at every hour of the week")
class NoDeadEndsPropertyTest {

    private static final RoutingEngine ENGINE = RoutingEngine.withDefaults();
    /** Monday 7 December 2026, 00:00 in the Netherlands. */
    private static final ZonedDateTime WEEK = ZonedDateTime.of(2026, 12, 7, 0, 0, 0, 0, OpeningHours.ZONE);

    static final List<Object> Q0_TALK = List.of("no", "yes", "talk");
    static final List<String> AGES = List.of("under12", "12-15", "18-24", "25plus", "unknown");
    static final List<String> Q3 = List.of("today", "older", "ongoing", "unknown", "-");
    static final List<List<String>> Q4 = List.of(List.of(), List.of("physical"), List.of("verbal"),
            List.of("online"), List.of("sextortion"), List.of("question"), List.of("unknown"),
            List.of("physical", "verbal"));
    static final List<String> Q5 = List.of("home", "education", "work", "sport", "culture_media", "religion", "care",
            "street", "online", "elsewhere");
    static final List<List<String>> Q7 = List.of(List.of(), List.of("advice"), List.of("police"),
            List.of("medical"), List.of("unknown"));

    /** One moment group: all clock times (and a staffing view) in which the same channels are open. */
    record World(String staffing, List<ZonedDateTime> times, Reachability reach) {
    }

    static List<World> worlds() {
        Set<String> queues = ENGINE.config().helpPoints().byId().values().stream()
                .filter(h -> h.kind() == HelpPoint.Kind.QUEUE).map(HelpPoint::id).collect(Collectors.toSet());
        Map<String, World> groups = new LinkedHashMap<>();
        for (String staffing : List.of("nothing staffed", "every queue staffed")) {
            for (int h = 0; h < 168; h++) {
                ZonedDateTime t = WEEK.plusHours(h);
                Reachability r = new Reachability(t.toInstant(), staffing.startsWith("nothing") ? Set.of() : queues);
                StringBuilder key = new StringBuilder(staffing);
                for (HelpPoint hp : ENGINE.config().helpPoints().byId().values()) {
                    key.append('|').append(hp.id()).append(Availability.of(hp, r).openNow());
                }
                groups.computeIfAbsent(key.toString(), k -> new World(staffing, new ArrayList<>(), r)).times().add(t);
            }
        }
        return List.copyOf(groups.values());
    }

    static List<Map<String, Object>> answerSets(String role) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> asker = List.of("relative", "bystander").contains(role) ? List.of("12-15", "25plus")
                : List.of("-");
        List<String> p1 = role.equals("perpetrator") ? List.of("yes", "no", "unknown", "-") : List.of("-");
        boolean aboutWhatHappened = !role.equals("perpetrator");
        // B1_sector = X is only read together with Q5 = X (R3, R4, R10, R13: "Q5 = X or B1_sector = X"), so the Q5
        // dimension covers the sectors; B1_suspicion yes/no is crossed with "other" and with each sector on its own.
        List<String[]> b1 = role.equals("professional")
                ? List.of(new String[]{"other", "no"}, new String[]{"other", "yes"}, new String[]{"education", "no"},
                new String[]{"sport", "no"}, new String[]{"culture_media", "no"})
                : List.<String[]>of(new String[]{"-", "-"});
        for (Object q0 : Q0_TALK) {
            for (String age : AGES) {
                for (String qa : asker) {
                    for (String pOne : p1) {
                        for (String q3 : aboutWhatHappened ? Q3 : List.of("-")) {
                            for (List<String> q4 : aboutWhatHappened ? Q4 : List.of(List.<String>of())) {
                                for (String q5 : aboutWhatHappened ? Q5 : List.of("-")) {
                                    for (List<String> q7 : Q7) {
                                        for (String[] sq : b1) {
                                            {
                                                String s = sq[0];
                                                String q = sq[1];
                                                Map<String, Object> m = new LinkedHashMap<>();
                                                if (!role.equals("-")) {
                                                    m.put("Q1", role);
                                                }
                                                if (q0.equals("talk")) {
                                                    m.put("Q0", "no");
                                                    m.put("talk_now", true);
                                                } else {
                                                    m.put("Q0", q0);
                                                }
                                                m.put("Q2", age);
                                                put(m, "QA", qa);
                                                put(m, "P1", pOne);
                                                put(m, "Q3", q3);
                                                if (!q4.isEmpty()) {
                                                    m.put("Q4", q4);
                                                }
                                                put(m, "Q5", q5);
                                                if (!q7.isEmpty()) {
                                                    m.put("Q7", q7);
                                                }
                                                put(m, "B1_sector", s);
                                                put(m, "B1_suspicion", q);
                                                out.add(m);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (!v.equals("-")) {
            m.put(k, v);
        }
    }

    @Test
    @DisplayName("every role, every answer class, every hour of the week, staffed or not: a free option open now")
    void noDeadEnds() {
        List<World> worlds = worlds();
        assertTrue(worlds.stream().mapToInt(w -> w.times().size()).sum() == 2 * 168);
        // a skipped Q1 and "Zeg ik liever niet" are read alike by every rule (R14, R20, asker age), so "rather_not"
        // stands for both
        List<String> roles = List.of("victim", "relative", "bystander", "perpetrator", "professional", "rather_not");
        long[] checked = new long[1];
        long answers = 0;
        for (String role : roles) {
            // rankings do not depend on the moment: decide each distinct ranking once per world
            List<Map<String, Object>> sets = answerSets(role);
            Map<RoutingEngine.Ranking, Map<String, Object>> rankings = new java.util.concurrent.ConcurrentHashMap<>();
            sets.parallelStream().forEach(raw -> rankings.putIfAbsent(ENGINE.rank(Answers.parse(raw)), raw));
            answers += sets.size();
            for (Map.Entry<RoutingEngine.Ranking, Map<String, Object>> e : rankings.entrySet()) {
                for (World w : worlds) {
                    Decision d = ENGINE.decide(e.getKey(), w.reach());
                    checked[0]++;
                    if (d.suggestions().stream().noneMatch(Suggestion::reachableAndFree)) {
                        fail("dead end for role " + role + ", answers " + e.getValue() + ", " + w.staffing()
                                + ", at " + w.times().get(0) + " (and " + (w.times().size() - 1)
                                + " more hours of that week with the same lines open): " + d.suggestions());
                    }
                    if (d.suggestions().stream().allMatch(s -> ENGINE.config().helpPoints().get(s.helpPoint())
                            .supplement())) {
                        fail("a supplement card stands alone for " + e.getValue() + " at " + w.times().get(0));
                    }
                    if (d.suggestions().isEmpty() || d.suggestions().size() > RoutingEngine.MAX_SUGGESTIONS) {
                        fail("wrong number of suggestions for " + e.getValue() + ": " + d.suggestions());
                    }
                }
            }
        }
        assertTrue(checked[0] > 0 && answers > 300_000, "answers " + answers + ", decisions " + checked[0]);
    }

    @Test
    @DisplayName("the answer classes are exactly what the rules distinguish (no configured limit splits a class)")
    void classesCoverTheRules() {
        // Age classes: 12-15 and 16-17 fall on the same side of every configured age limit.
        var hp = ENGINE.config().helpPoints();
        List<Integer> limits = new ArrayList<>(hp.ageLimits().values());
        for (HelpPoint h : hp.byId().values()) {
            if (h.ageMin() != null) {
                limits.add(h.ageMin());
            }
            if (h.ageMax() != null) {
                limits.add(h.ageMax() + 1);
            }
        }
        for (int limit : limits) {
            assertTrue(limit <= 12 || limit > 17 || limit == 18, "a configured age limit " + limit
                    + " splits the 12-17 class; add 16-17 to AGES");
            assertTrue(limit <= 18 || limit >= 25, "a configured age limit " + limit + " splits 18-24; add a class");
        }
        // The rules read Q3 "today" and "week" only together, and Q5 "home" and "partner" only together.
        String rules = ENGINE.config().rules().rules().toString();
        assertTrue(!rules.contains("codes=[today]") && !rules.contains("codes=[week]"), rules);
        assertTrue(!rules.contains("codes=[home]") && !rules.contains("codes=[partner]"), rules);
        assertEquals(2 * 168, worlds().stream().mapToInt(w -> w.times().size()).sum());
    }
}
