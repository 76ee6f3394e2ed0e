package nl.veiligpraten.routing.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies the "who sees what" rules of brief §6 to raw figures.
 *
 * <ul>
 *   <li>Own scope: the organisation's own counts, unsuppressed.</li>
 *   <li>Chain scope for an organisation: chain total = own + others, where the "others" table is protected by
 *   {@link Suppressor} first. Protecting the chain total alone would not do: the viewer knows its own counts exactly
 *   and could subtract them from a shown chain cell to get the other organisations' count.</li>
 *   <li>Chain scope for a chain role: all organisations' counts, protected.</li>
 * </ul>
 * Value tables (percentiles) are shown only where the count they rest on is shown.
 */
public final class Publication {

    private Publication() {
    }

    public static PublishedFigure publish(FigureData data) {
        List<PublishedFigure.Named> tables = new ArrayList<>();
        for (FigureData.Counts counts : data.counts()) {
            tables.add(new PublishedFigure.Named(counts.name(), publish(data.query(), counts)));
        }
        List<ValueTable> values = new ArrayList<>();
        for (ValueTable v : data.values()) {
            values.add(gate(v, tables));
        }
        return new PublishedFigure(data.query(), tables, values);
    }

    static PublishedTable publish(StatsQuery query, FigureData.Counts counts) {
        if (!query.outside()) {
            return PublishedTable.unsuppressed(counts.own());
        }
        PublishedTable others = Suppressor.protect(counts.others());
        long[][] own = counts.own().extended();
        Long[][] out = new Long[own.length][own[0].length];
        for (int i = 0; i < own.length; i++) {
            for (int j = 0; j < own[i].length; j++) {
                Long o = others.entries()[i][j];
                out[i][j] = o == null ? null : o + own[i][j];
            }
        }
        return new PublishedTable(counts.own().rows(), counts.own().columns(), out, Suppressor.THRESHOLD);
    }

    private static ValueTable gate(ValueTable v, List<PublishedFigure.Named> tables) {
        if (v.countsTable() == null) {
            return v;
        }
        PublishedTable counts = tables.stream().filter(t -> t.name().equals(v.countsTable()))
            .map(PublishedFigure.Named::table).findFirst().orElseThrow();
        Double[][] out = new Double[v.rows().size()][v.columns().size()];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                Long n = counts.cell(i, j);
                out[i][j] = n == null || n == 0 ? null : v.value(i, j);
            }
        }
        return new ValueTable(v.name(), v.rows(), v.columns(), out, v.unit(), v.countsTable());
    }
}
