package dev.osscse.bench.report;

/**
 * Where, when and how a report's runs were made.
 *
 * @param date when the runs were made
 * @param machine CPU, core count and memory
 * @param command the command that made the runs
 * @param settings the JMH settings of the short suite
 * @param notes observations on noise, empty if none
 * @param svgLink the link to the figure from the markdown page, empty for none
 * @param extraMarkdown markdown appended at the end, empty for none
 */
public record RunInfo(
    String date,
    String machine,
    String command,
    String settings,
    String notes,
    String svgLink,
    String extraMarkdown) {}
