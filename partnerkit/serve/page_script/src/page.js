// The script of a partnerkit page: what Voilà's own front end does for a page, and no more.
//
// The page's HTML (partnerkit's Voilà template) carries each cell's output as JSON and the
// id of the kernel that ran the workbook. This script connects to that kernel, shows the
// outputs (the forms are ipywidgets, drawn by the same libraries JupyterLab and Voilà use:
// @jupyter-widgets/jupyterlab-manager, @jupyterlab/rendermime, @jupyterlab/services) and,
// as the page is left, asks the server to end the kernel. Voilà's front end is a whole
// JupyterLab application (88 scripts, 4.7 MB); this is one script of about 0.84 MB.
import * as base from '@jupyter-widgets/base';
import * as controls from '@jupyter-widgets/controls';
import { KernelWidgetManager } from '@jupyter-widgets/jupyterlab-manager/lib/manager';
import * as output from '@jupyter-widgets/jupyterlab-manager/lib/output';
import { WidgetRenderer } from '@jupyter-widgets/jupyterlab-manager/lib/renderer';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { CommsOverSubshells, KernelAPI, ServerConnection } from '@jupyterlab/services';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { Widget } from '@lumino/widgets';

const WIDGET_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
const CELL_OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';

function pageConfig() {
  return JSON.parse(document.getElementById('jupyter-config-data').textContent);
}

// The page's kernel, or null when it has gone (ended, or not this person's): the page's
// own watcher (the template) then says so from the server's answer. Widget messages go
// to the kernel's main shell, one after another, as with Voilà's own front end: never to
// a subshell, where a form's save would run beside the page's other work.
async function pageKernel(config, serverSettings) {
  const model = await KernelAPI.getKernelModel(config.kernelId, serverSettings);
  if (!model) { return null; }
  return new KernelConnection({
    model, serverSettings, commsOverSubshells: CommsOverSubshells.Disabled });
}

function widgetManager(kernel, rendermime) {
  const manager = new KernelWidgetManager(kernel, rendermime);
  manager.register({ name: '@jupyter-widgets/base', version: base.JUPYTER_WIDGETS_VERSION, exports: base });
  manager.register({ name: '@jupyter-widgets/controls', version: controls.JUPYTER_CONTROLS_VERSION, exports: controls });
  manager.register({ name: '@jupyter-widgets/output', version: output.OUTPUT_WIDGET_VERSION, exports: output });
  rendermime.addFactory({
    safe: false,
    mimeTypes: [WIDGET_MIMETYPE],
    createRenderer: (options) => new WidgetRenderer(options, manager),
  }, -10);
  return manager;
}

// As the page goes, the server is asked to end its kernel (Voilà's shutdown route, with
// the page's XSRF token from its cookie): a page left is never a kernel left running.
function endKernelOnLeaving(config, kernel) {
  window.addEventListener('beforeunload', () => {
    const data = new FormData();
    const token = document.cookie.match('\\b_xsrf=([^;]*)\\b');
    data.append('_xsrf', (token && token[1]) || '');
    window.navigator.sendBeacon(`${config.baseUrl}voila/api/shutdown/${kernel.id}`, data);
    kernel.dispose();
  });
}

// One cell output, shown where its JSON was. The outputs were made by the server from
// the workbook's own cells, so they are trusted; an output that cannot be drawn says so.
// A widget is drawn once the page's widget manager has the kernel's widgets (`drawn`):
// until then its place says it is loading.
function showOutput(script, rendermime, drawn) {
  const model = JSON.parse(script.textContent);
  const mimeType = rendermime.preferredMimeType(model.data, 'any');
  const container = script.parentElement;
  container.removeChild(script);
  if (!mimeType) { return; }
  const renderer = rendermime.createRenderer(mimeType);
  renderer.addClass('jp-OutputArea-output');
  Widget.attach(renderer, container);
  const draw = () => renderer.renderModel(
    { data: model.data, metadata: model.metadata || {}, trusted: true, setData() {} });
  const isWidget = mimeType === WIDGET_MIMETYPE;
  if (isWidget) { renderer.node.textContent = 'Loading…'; }
  (isWidget ? drawn : Promise.resolve()).then(draw).catch((error) => {
    const text = document.createElement('pre');
    text.textContent = `This part of the page could not be shown: ${error.message}`;
    renderer.node.appendChild(text);
  });
}

// Settles once the widget manager has built every widget the kernel has. A widget drawn
// before then asks the manager for its model, which ipywidgets' manager looks for over
// two seconds only; on a busy machine its last look can come after the widgets have
// arrived and still fail ("model not found", a page without its forms, for good).
function widgetsRestored(manager) {
  if (!manager || manager.restoredStatus) { return Promise.resolve(); }
  return new Promise((resolve) => {
    const done = () => { manager.restored.disconnect(done); resolve(); };
    manager.restored.connect(done);
  });
}

// Voilà's page shows its cells once the theme is in and the last cell has arrived
// (window.display_cells, in the page); the theme here is in the page's own stylesheets.
function showCells() {
  window.themeLoaded = true;
  if (window.cellLoaded) { window.display_cells(); }
}

async function start() {
  const config = pageConfig();
  const serverSettings = ServerConnection.makeSettings({ baseUrl: config.baseUrl });
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  let kernel = null;
  let manager = null;
  try {
    kernel = await pageKernel(config, serverSettings);
  } catch (error) {
    console.error('partnerkit: the page could not reach its kernel', error);
  }
  if (kernel) {
    // The page's widget manager, where the browser's own tools (and the tests) find it.
    manager = widgetManager(kernel, rendermime);
    window.partnerkitPage = { kernel, widgetManager: manager };
    endKernelOnLeaving(config, kernel);
  }
  const drawn = widgetsRestored(manager);
  document.querySelectorAll(CELL_OUTPUT).forEach((script) => showOutput(script, rendermime, drawn));
  showCells();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
