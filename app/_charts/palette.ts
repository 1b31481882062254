/** Colours chosen for contrast on white and for colour-blind readers (no red/green pairs). */
export const SERIES_COLORS = [
  '#2f6db5',
  '#e08a1e',
  '#2a9d8f',
  '#8e5cb5',
  '#c0392b',
  '#5b7083',
  '#d4a72c',
  '#3aa0d8',
];

/** Access modes 1, 2, 4, 8 keep the same colour on every chart. */
export const MODE_COLORS: Record<number, string> = { 1: '#2f6db5', 2: '#2a9d8f', 4: '#e08a1e', 8: '#8e5cb5' };

/** Sequential scale for maps and heatmaps: pale to deep blue. */
export const SEQUENTIAL = ['#eef4fb', '#c6dbef', '#85b5dd', '#4a8cc7', '#1f5fa8', '#0d3b73'];

export const NO_DATA = '#e4e8ee';
export const AXIS_INK = '#5f6b7a';
export const GRID_LINE = '#e7ebf0';
