// The two things the output renderers use from @jupyterlab/apputils. The package's index
// brings in JupyterLab's whole toolkit (React, its web components, dialogs, toolbars:
// 0.9 MB) that a page never shows; the build points the package's name here instead.
// The sanitizer is the page's own (./sanitize.js), not JupyterLab's.
export { Sanitizer } from './sanitize.js';
export { WidgetTracker } from '../node_modules/@jupyterlab/apputils/lib/widgettracker.js';
