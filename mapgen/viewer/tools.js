/*
 * mapgen's viewer, the tools over the map: identify (click or tap), hover
 * highlight, search, place labels, the scale bar, legend classes that
 * highlight, downloads and the print layout.  Uses regions.js for the
 * data; viewer.js calls window.mapgenTools(viewer) once the map exists.
 */
(function () {
  'use strict';

  var lib = window.mapgenRegionsLib;
  var HOVER = { color: '#1f2328', weight: 2, fill: false, interactive: false };
  var SELECT = { color: '#0b5cad', weight: 3, fillOpacity: 0.08,
                 interactive: false };

  var $ = lib.byId, el = lib.el, valueOf = lib.valueOf;

  /* ---- identify --------------------------------------------------------- */

  /* The table of need, supply, gap and coverage per category and total. */
  function categoryTable(index, doc, r) {
    var table = el('table', 'figures');
    var head = el('tr');
    ['Category', 'Need', 'Supply', 'Gap', 'Coverage'].forEach(function (t) {
      var th = el('th', null, t);
      th.scope = 'col';
      head.append(th);
    });
    table.append(el('thead'));
    table.tHead.append(head);
    var body = el('tbody');
    var cats = (index.categories || []).concat([{ name: 'total',
                                                  title: 'Total' }]);
    cats.forEach(function (c) {
      var tr = el('tr');
      tr.dataset.category = c.name;
      var th = el('th', null, c.title.replace(/_/g, ' '));
      th.scope = 'row';
      tr.append(th);
      ['need_', 'supply_', 'gap_', 'coverage_'].forEach(function (p) {
        var td = el('td', null,
                    lib.formatValue(p + c.name, valueOf(doc, r, p + c.name)));
        td.dataset.field = p + c.name;
        tr.append(td);
      });
      body.append(tr);
    });
    table.append(body);
    return table;
  }

  /* The other figures: population, area, rates, and what the later
   * stages added (poverty score, grade, ranks, dimensions; access). */
  function otherFigures(doc, r) {
    var dl = el('dl', 'other-figures');
    doc.fields.forEach(function (f, i) {
      if (/^(need|supply|gap|coverage|providers)_/.test(f) &&
          f !== 'providers_total' && f !== 'gap_per10k_total')
        return;
      var dt = el('dt', null, lib.humanise(f));
      var dd = el('dd', null, lib.formatValue(f, r.values[i]));
      dd.dataset.field = f;
      dl.append(dt, dd);
    });
    return dl;
  }

  function Tools(viewer) {
    this.viewer = viewer;
    this.regions = new lib.Regions(viewer);
    this.hovered = null;
    this.hoverLayer = null;
    this.selectLayer = null;
  }

  Tools.prototype.showPanel = function (doc, r) {
    var panel = $('identify');
    var body = $('identify-body');
    body.textContent = '';
    $('identify-title').textContent = r.name || r.code;
    var meta = el('p', 'identify-meta');
    meta.append('Code ', el('span', 'code', r.code));
    if (r.parent_name || r.parent_code)
      meta.append(' · ' + (doc.parent_level || 'parent') + ': ',
                  el('span', 'parent', (r.parent_name || '') +
                     (r.parent_code ? ' (' + r.parent_code + ')' : '')));
    meta.append(' · level ' + doc.level);
    body.append(meta);
    /* The figure the map shown colours by, first. */
    var spec = this.viewer.specs[this.viewer.active] || {};
    if (spec.field && doc.fields.indexOf(spec.field) >= 0) {
      var lead = el('p', 'identify-lead');
      var v = el('strong', null,
                 lib.formatValue(spec.field, valueOf(doc, r, spec.field)));
      v.dataset.field = spec.field;
      lead.append((spec.legend_title || lib.humanise(spec.field)) + ': ', v);
      body.append(lead);
    }
    body.append(categoryTable(this.regions.index, doc, r),
                otherFigures(doc, r));
    panel.hidden = false;
    panel.dataset.code = r.code;
    panel.dataset.level = doc.level;
    this.select(r);
  };

  Tools.prototype.select = function (r) {
    var map = this.viewer.map;
    if (this.selectLayer)
      map.removeLayer(this.selectLayer);
    this.selectLayer = r ? L.polygon(lib.toLatLngs(r), SELECT).addTo(map)
                         : null;
  };

  Tools.prototype.identify = function (latlng) {
    var self = this;
    var level = this.regions.currentLevel();
    return this.regions.loadFigures(level).then(function (doc) {
      var r = self.regions.find(doc, latlng);
      if (r)
        self.showPanel(doc, r);
      else
        self.closePanel();
      return r;
    });
  };

  /* After a change of map: the open panel shows the same region with
   * the new map's figure first, or closes when the map is of another
   * level. */
  Tools.prototype.refreshPanel = function () {
    var panel = $('identify');
    var doc = this.regions.data[panel.dataset.level];
    var r = doc && doc.byCode[panel.dataset.code];
    if (!panel.hidden && r && doc.level === this.regions.currentLevel())
      this.showPanel(doc, r);
    else
      this.closePanel();
  };

  Tools.prototype.closePanel = function () {
    $('identify').hidden = true;
    delete $('identify').dataset.code;
    this.select(null);
  };

  Tools.prototype.hover = function (latlng) {
    var self = this;
    var doc = this.regions.data[this.regions.currentLevel()];
    if (!doc) {
      /* The first move reads the level's file; hover once it is here. */
      this.regions.load(this.regions.currentLevel()).then(function () {
        self.hover(latlng);
      });
      return;
    }
    var r = this.regions.find(doc, latlng);
    if (r === this.hovered)
      return;
    this.hovered = r;
    if (this.hoverLayer)
      this.viewer.map.removeLayer(this.hoverLayer);
    this.hoverLayer = r ? L.polygon(lib.toLatLngs(r), HOVER)
                            .addTo(self.viewer.map) : null;
    this.viewer.map.getContainer().title = r ? r.name : '';
  };

  Tools.prototype.initIdentify = function () {
    var self = this;
    var map = this.viewer.map;
    var pending = null;
    map.on('click', function (e) {
      self.identify(e.latlng).catch(function (err) {
        console.error('mapgen viewer:', err);
      });
    });
    map.on('mousemove', function (e) {
      pending = e.latlng;
      window.requestAnimationFrame(function () {
        if (pending)
          self.hover(pending);
        pending = null;
      });
    });
    map.on('mouseout', function () {
      self.hovered = undefined;
      self.hover(L.latLng(-90, -180));
    });
    $('identify-close').addEventListener('click', function () {
      self.closePanel();
    });
    /* From the keyboard: Enter on the map identifies the region at its
     * centre (arrow keys move the map, +/- zoom). */
    map.getContainer().addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.target.closest('.leaflet-control'))
        self.identify(map.getCenter());
    });
  };

  /* ---- search ----------------------------------------------------------- */

  var MAX_RESULTS = 10;

  /* Every level's file, for search (read once, on first use). */
  Tools.prototype.loadAll = function () {
    var self = this;
    var levels = this.regions.index.levels || [];
    return Promise.all(levels.map(function (info) {
      return self.regions.load(info.level);
    }));
  };

  /* Regions whose folded name or code contains the folded query: those
   * that start with it first, coarser levels before finer ones. */
  Tools.prototype.search = function (query) {
    var q = lib.fold(query);
    var self = this;
    return this.loadAll().then(function (docs) {
      if (!q)
        return [];
      var hits = [];
      docs.slice().reverse().forEach(function (doc) {
        doc.regions.forEach(function (r) {
          var at = r.folded.indexOf(q);
          if (at >= 0)
            hits.push({ doc: doc, r: r, rank: at === 0 ? 0 : 1 });
        });
      });
      hits.sort(function (a, b) { return a.rank - b.rank; });
      self.lastHits = hits;
      return hits.slice(0, MAX_RESULTS);
    });
  };

  /* Moves the map to a region and opens its panel. */
  Tools.prototype.goTo = function (doc, r) {
    var self = this;
    var b = r.bbox;
    if (b)
      this.viewer.map.fitBounds([[b[1], b[0]], [b[3], b[2]]],
                                { padding: [20, 20] });
    this.regions.loadFigures(doc.level).then(function () {
      self.showPanel(doc, r);
    });
  };

  Tools.prototype.showResults = function (hits) {
    var self = this;
    var list = $('search-results');
    list.textContent = '';
    hits.forEach(function (h) {
      var li = el('li');
      var button = el('button', 'search-hit');
      button.type = 'button';
      button.append(el('span', 'hit-name', h.r.name || h.r.code),
                    el('span', 'hit-meta', ' ' + h.doc.level + ' ' + h.r.code +
                       (h.r.parent_name ? ', ' + h.r.parent_name : '')));
      button.addEventListener('click', function () {
        self.goTo(h.doc, h.r);
      });
      li.append(button);
      list.append(li);
    });
    if (hits.length === 0 && $('search-input').value.trim())
      list.append(el('li', 'search-none', 'No region matches.'));
  };

  Tools.prototype.initSearch = function () {
    var self = this;
    var input = $('search-input');
    var seq = 0;
    input.addEventListener('input', function () {
      var mine = ++seq;
      self.search(input.value).then(function (hits) {
        if (mine === seq)
          self.showResults(hits);
      });
    });
    $('search').addEventListener('submit', function (e) {
      e.preventDefault();
      self.search(input.value).then(function (hits) {
        self.showResults(hits);
        if (hits.length)
          self.goTo(hits[0].doc, hits[0].r);
      });
    });
    $('search').hidden = false;
  };

  /* ---- place labels ----------------------------------------------------- */

  /* A level's names show where its median region is at least this wide on
   * screen; the finest such level is labelled, else the coarsest (county
   * names far out, commune names closer). */
  var LABEL_LEVEL_PX = 80;
  var LABEL_PAD = 3;

  function pxPerDegree(zoom) {
    return 256 * Math.pow(2, zoom) / 360;
  }

  function median(values) {
    var v = values.filter(isFinite).sort(function (a, b) { return a - b; });
    return v.length ? v[v.length >> 1] : 0;
  }

  /* The levels labelled at zoom: the finest whose names fit (labelLevel),
   * then, where they fit between those, names of the next finer level
   * once its median region is half as wide (the cities within counties). */
  Tools.prototype.labelLevels = function (docs, zoom) {
    var first = this.labelLevel(docs, zoom);
    var i = docs.indexOf(first);
    var finer = i > 0 ? docs[i - 1] : null;
    if (finer && 2 * finer.medianRadius * pxPerDegree(zoom) >=
                 LABEL_LEVEL_PX / 2)
      return [first, finer];
    return [first];
  };

  /* The level whose names fit at zoom, from the label radii of each. */
  Tools.prototype.labelLevel = function (docs, zoom) {
    var chosen = null;
    /* index.json lists the finest level first: coarsest to finest here,
     * the last that fits wins. */
    docs.slice().reverse().forEach(function (doc) {
      if (doc.medianRadius === undefined)
        doc.medianRadius = median(doc.regions.map(function (r) {
          return r.label ? r.label[2] : NaN;
        }));
      if (chosen === null || 2 * doc.medianRadius * pxPerDegree(zoom) >=
                             LABEL_LEVEL_PX)
        chosen = doc;
    });
    return chosen;
  };

  function textWidth(ctx, text) {
    return ctx.measureText(text).width;
  }

  /* Names of the regions in view, larger regions first; a name is placed
   * when it fits its region and overlaps no name placed before it. */
  Tools.prototype.placeLabels = function (docs) {
    var self = this;
    var placed = [];
    this.labelLayer.clearLayers();
    docs.forEach(function (doc) {
      self.placeLevel(doc, placed);
    });
    document.body.dataset.labels = docs[0].level;
  };

  Tools.prototype.placeLevel = function (doc, placed) {
    var map = this.viewer.map;
    var layer = this.labelLayer;
    var zoom = map.getZoom();
    var view = map.getBounds().pad(0.1);
    var ctx = this.measure || (this.measure =
      document.createElement('canvas').getContext('2d'));
    ctx.font = lib.LABEL_FONT;
    var regions = doc.regions.filter(function (r) {
      return r.label && view.contains([r.label[1], r.label[0]]);
    }).sort(function (a, b) { return b.label[2] - a.label[2]; });
    regions.forEach(function (r) {
      var w = textWidth(ctx, r.name), h = 14;
      var room = 2 * r.label[2] * pxPerDegree(zoom);
      if (!r.name || w > room * 1.5)
        return;
      var p = map.latLngToContainerPoint([r.label[1], r.label[0]]);
      var box = [p.x - w / 2 - LABEL_PAD, p.y - h / 2 - LABEL_PAD,
                 p.x + w / 2 + LABEL_PAD, p.y + h / 2 + LABEL_PAD];
      if (placed.some(function (b) {
        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
      }))
        return;
      placed.push(box);
      layer.addLayer(L.marker([r.label[1], r.label[0]], {
        interactive: false, keyboard: false, pane: 'mg-labels',
        icon: L.divIcon({ className: 'mg-label mg-label-' + doc.level,
                          html: '', iconSize: [Math.ceil(w), h] })
      }));
      var m = layer.getLayers()[layer.getLayers().length - 1];
      m.getElement().textContent = r.name;
      m.getElement().dataset.code = r.code;
    });
  };

  Tools.prototype.updateLabels = function () {
    var self = this;
    var levels = this.regions.index.levels || [];
    var zoom = this.viewer.map.getZoom();
    var want = this.labelsSeq = (this.labelsSeq || 0) + 1;
    Promise.all(levels.map(function (info) {
      return self.regions.load(info.level);
    })).then(function (docs) {
      if (want === self.labelsSeq && self.labelsOn)
        self.placeLabels(self.labelLevels(docs, zoom));
    });
  };

  Tools.prototype.initLabels = function () {
    var self = this;
    var map = this.viewer.map;
    map.createPane('mg-labels');
    map.getPane('mg-labels').style.zIndex = 450;
    map.getPane('mg-labels').style.pointerEvents = 'none';
    this.labelLayer = L.layerGroup().addTo(map);
    this.labelsOn = true;
    map.on('moveend zoomend', function () { self.updateLabels(); });
    var box = $('labels-toggle');
    box.checked = true;
    box.addEventListener('change', function () {
      self.labelsOn = box.checked;
      if (box.checked)
        self.updateLabels();
      else
        self.labelLayer.clearLayers();
    });
    $('labels-option').hidden = false;
    this.updateLabels();
  };

  /* ---- legend classes that highlight ------------------------------------ */

  var CLASS = { color: '#1f2328', weight: 3, fill: false, interactive: false,
                dashArray: '6 3' };

  /* The regions of the map shown whose fill is the entry's colour. */
  Tools.prototype.classRegions = function (doc, mapName, colour) {
    var c = doc.colors && doc.colors[mapName];
    if (!c)
      return [];
    var want = String(colour).slice(0, 7).toLowerCase();
    return doc.regions.filter(function (r, i) {
      return c.palette[c.index[i]] === want;
    });
  };

  Tools.prototype.highlightClasses = function () {
    var self = this;
    var name = this.viewer.active;
    var spec = this.viewer.specs[name];
    var level = this.regions.currentLevel();
    if (this.classLayer)
      this.viewer.map.removeLayer(this.classLayer);
    this.classLayer = L.layerGroup().addTo(this.viewer.map);
    var items = document.querySelectorAll('#legend-items .legend-item');
    this.regions.load(level).then(function (doc) {
      var n = 0;
      items.forEach(function (li, j) {
        if (li.getAttribute('aria-pressed') !== 'true')
          return;
        self.classRegions(doc, name, spec.legend[j].color).forEach(function (r) {
          L.polygon(lib.toLatLngs(r), CLASS).addTo(self.classLayer);
          n++;
        });
      });
      document.body.dataset.highlighted = n;
    });
  };

  /* The legend's boxes become toggles: pressed ones outline their regions. */
  Tools.prototype.legendToggles = function () {
    var self = this;
    var spec = this.viewer.specs[this.viewer.active];
    var items = document.querySelectorAll('#legend-items .legend-item');
    items.forEach(function (li, j) {
      var entry = (spec.legend || [])[j];
      if (!entry || (entry.shape && entry.shape !== 'box'))
        return;
      li.tabIndex = 0;
      li.setAttribute('role', 'button');
      li.setAttribute('aria-pressed', 'false');
      li.title = 'Outline the regions of this class';
      var toggle = function () {
        li.setAttribute('aria-pressed',
                        li.getAttribute('aria-pressed') === 'true'
                          ? 'false' : 'true');
        self.highlightClasses();
      };
      li.addEventListener('click', toggle);
      li.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggle();
        }
      });
    });
    if (this.classLayer)
      this.viewer.map.removeLayer(this.classLayer);
    this.classLayer = null;
  };

  /* ---- downloads --------------------------------------------------------- */

  function downloadTitle(href) {
    var file = href.split('/').pop();
    if (/\.gpkg$/.test(file))
      return 'GeoPackage: regions, providers, sites and tiles (' + file + ')';
    if (/\.mbtiles$/.test(file))
      return 'MBTiles: the map ' + file.replace(/\.mbtiles$/, '');
    if (/\.csv$/.test(file))
      return 'CSV: ' + file.replace(/\.csv$/, '').replace(/-/g, ' ');
    return file;
  }

  Tools.prototype.initDownloads = function () {
    var list = $('download-list');
    var files = this.regions.index.downloads || [];
    files.forEach(function (href) {
      var li = el('li');
      var a = el('a', null, downloadTitle(href));
      a.href = href;
      a.setAttribute('download', '');
      li.append(a);
      list.append(li);
    });
    var levels = this.regions.index.levels || [];
    if (levels.length > 1) {
      var li = el('li');
      var a = el('a', null, 'Report per ' + levels[1].level +
                 ' (printable page)');
      a.href = 'report.html';
      li.append(a);
      list.append(li);
    }
    $('downloads').hidden = list.children.length === 0;
  };

  /* ---- print ------------------------------------------------------------ */

  /* The printable area of each sheet, in mm, margins of 10 mm taken off. */
  var PAPER = { a4: [297, 210], a3: [420, 297] };
  var MARGIN_MM = 10;

  /* Lays the page out for paper and orientation (title and date above
   * the map; legend, scale, north arrow and sources with it), sizes the
   * map for the sheet and resolves when its tiles are loaded.  The
   * browser's print (or page.pdf()) follows; restorePrint() undoes. */
  Tools.prototype.preparePrint = function (paper, orientation) {
    var size = PAPER[paper] || PAPER.a4;
    var w = orientation === 'portrait' ? size[1] : size[0];
    var h = orientation === 'portrait' ? size[0] : size[1];
    var style = $('print-page-style');
    if (!style) {
      style = el('style');
      style.id = 'print-page-style';
      document.head.append(style);
    }
    var mapW = w - 2 * MARGIN_MM, mapH = (h - 2 * MARGIN_MM) * 0.7;
    if (orientation !== 'portrait')
      mapW = (w - 2 * MARGIN_MM) * 0.74, mapH = h - 2 * MARGIN_MM - 14;
    style.textContent =
      '@page { size: ' + paper.toUpperCase() + ' ' + orientation +
      '; margin: ' + MARGIN_MM + 'mm; }\n' +
      'body.printing .map { width: ' + mapW + 'mm; height: ' + mapH +
      'mm; flex: none; }';
    var viewer = this.viewer;
    var center = viewer.map.getCenter(), zoom = viewer.map.getZoom();
    this.beforePrint = { center: center, zoom: zoom };
    document.body.classList.add('printing');
    document.body.dataset.print = paper + '-' + orientation;
    $('print-heading').textContent = $('title').textContent;
    $('print-date').textContent = 'Printed ' +
      new Date().toISOString().slice(0, 10);
    viewer.map.invalidateSize({ pan: false });
    viewer.map.setView(center, zoom, { animate: false });
    return new Promise(function (resolve) {
      var check = function () {
        if (document.body.dataset.tiles === 'loaded')
          resolve();
        else
          setTimeout(check, 100);
      };
      setTimeout(check, 50);
    });
  };

  Tools.prototype.restorePrint = function () {
    if (!document.body.classList.contains('printing'))
      return;
    document.body.classList.remove('printing');
    delete document.body.dataset.print;
    this.viewer.map.invalidateSize({ pan: false });
    if (this.beforePrint)
      this.viewer.map.setView(this.beforePrint.center, this.beforePrint.zoom,
                              { animate: false });
  };

  Tools.prototype.initPrint = function () {
    var self = this;
    $('print-button').addEventListener('click', function () {
      self.preparePrint($('print-paper').value,
                        $('print-orientation').value).then(function () {
        window.print();
      });
    });
    window.addEventListener('afterprint', function () {
      self.restorePrint();
    });
    $('print').hidden = false;
  };

  window.mapgenTools = function (viewer) {
    var tools = new Tools(viewer);
    viewer.tools = tools;
    L.control.scale({ imperial: false, maxWidth: 150 }).addTo(viewer.map);
    /* Printing needs no per-region data. */
    tools.initPrint();
    tools.regions.loadIndex().then(function () {
      tools.initIdentify();
      tools.initSearch();
      tools.initLabels();
      tools.initDownloads();
      tools.legendToggles();
      viewer.onShow = function () {
        tools.legendToggles();
        tools.refreshPanel();
      };
      document.body.dataset.regions = 'ready';
    }, function (err) {
      /* A page without per-region files (an older run) still shows maps. */
      document.body.dataset.regions = 'none';
      console.warn('mapgen viewer: no per-region data:', err.message);
    });
    return tools;
  };
})();
