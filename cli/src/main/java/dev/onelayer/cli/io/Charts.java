package dev.onelayer.cli.io;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Line charts (loss curves) and heatmaps (attention tables, weight matrices) rendered headless
 * with XChart and saved as {@code name.png} and {@code name.svg}, each written atomically.
 */
public final class Charts {

    private static final int WIDTH = 800, HEIGHT = 500;

    private Charts() {
    }

    /** One named curve: x and y of equal length; NaN points are dropped. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("Charts.Series '" + name + "': x has " + x.length + " points, y has " + y.length);
        }
    }

    /**
     * Line chart of the series; with {@code logY}, the y axis is logarithmic and non-positive
     * points are dropped (a loss that reaches exactly 0 cannot be drawn on it).
     */
    public static XYChart lines(String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series s : series) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                double y = s.y()[i];
                if (Double.isFinite(y) && Double.isFinite(s.x()[i]) && (!logY || y > 0)) {
                    xs.add(s.x()[i]);
                    ys.add(y);
                }
            }
            if (xs.isEmpty()) continue;
            chart.addSeries(s.name(), xs, ys).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Heatmap of a row-major {@code rows x cols} matrix (row 0 drawn at the top). */
    public static HeatMapChart heatmap(String title, int rows, int cols, double[] values) {
        if (values.length != rows * cols) throw new IllegalArgumentException("Charts.heatmap: " + values.length + " values for " + rows + " x " + cols);
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
        chart.getStyler().setShowValue(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setDecimalPattern("#.####");
        // Position p on the y axis holds row rows−1−p, so the labels run rows−1 … 0 bottom-up
        // and row 0 is at the top, as a matrix is printed.
        List<Integer> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int j = 0; j < cols; j++) xs.add(j);
        for (int p = 0; p < rows; p++) ys.add(rows - 1 - p);
        chart.addSeries(title, xs, ys, cells(rows, cols, values, false));
        return chart;
    }

    /**
     * Heatmap with labelled axes: row i is drawn at the top for i = 0 (as a matrix is printed), the
     * axes carry {@code rowLabels} and {@code colLabels} and each cell prints its value (for small
     * grids such as the Markov (p, q) sweep, where the numbers are the result).
     */
    public static HeatMapChart labelledHeatmap(String title, String xTitle, String yTitle, List<String> rowLabels, List<String> colLabels,
                                               double[] values) {
        int rows = rowLabels.size(), cols = colLabels.size();
        if (values.length != rows * cols) throw new IllegalArgumentException("Charts.labelledHeatmap: " + values.length + " values for " + rows + " x " + cols);
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setDecimalPattern("0.00");
        List<String> ys = new ArrayList<>();
        for (int p = 0; p < rows; p++) ys.add(rowLabels.get(rows - 1 - p));
        chart.addSeries(title, new ArrayList<>(colLabels), ys, cells(rows, cols, values, true));
        return chart;
    }

    /**
     * Heatmap cells {x = column, y = position from the bottom, value}: matrix row i sits at y = rows-1-i
     * so row 0 is drawn at the top. With {@code rounded}, values are rounded to 2 decimals for display
     * (XChart prints cell values with Double.toString); a non-finite value (a diverged run) stays as it is.
     */
    private static List<Number[]> cells(int rows, int cols, double[] values, boolean rounded) {
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = values[i * cols + j];
                cells.add(new Number[] {j, rows - 1 - i, rounded && Double.isFinite(x) ? Math.round(x * 100) / 100.0 : x});
            }
        }
        return cells;
    }

    /** Saves {@code dir/name.png} and {@code dir/name.svg}; returns both paths. */
    public static List<Path> save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Path png = dir.resolve(name + ".png"), svg = dir.resolve(name + ".svg");
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        AtomicFiles.write(svg, out.toByteArray());
        return List.of(png, svg);
    }

    /** Convenience: a line chart of several y columns against one x column. */
    public static List<Series> columns(double[] x, Map<String, double[]> ys) {
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : ys.entrySet()) out.add(new Series(e.getKey(), x, e.getValue()));
        return out;
    }
}
