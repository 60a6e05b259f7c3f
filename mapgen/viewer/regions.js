/*
 * mapgen's viewer, the regions: identify (click or tap a region: a panel
 * with its figures), hover highlight, search by name or code, place
 * labels, the scale bar and the downloads.  The data are the per-region
 * files the run writes (regions/index.json, regions/<level>.json; format
 * in docs/viewer.md), read when first needed.  viewer.js calls
 * mapgenRegions(viewer) once the map exists and viewer.onShow(name) when
 * the map shown changes.
 */
(function () {
  'use strict';

  var LABEL_FONT = '600 12px system-ui, "DejaVu Sans", "Noto Sans CJK SC", ' +
                   'sans-serif';

  function $(id) {
    return document.getElementById(id);
  }

  function fetchJSON(url) {
    return fetch(url, { cache: 'no-cache' }).then(function (response) {
      if (!response.ok)
        throw new Error(url + ': HTTP ' + response.status);
      return response.json();
    });
  }

  /* ---- text and numbers for people ------------------------------------- */

  /* For search: lower case, no diacritics (NFD, combining marks dropped,
   * so ș, ş, ț, ţ, ă, â, î all lose theirs), spaces collapsed.  Chinese
   * and other scripts without marks are kept as they are. */
  function fold(text) {
    return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/\s+/g, ' ').trim();
  }

  var intFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
  var oneFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
  var twoFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

  /* Counts of people and services as whole numbers when large, else one
   * decimal; shares as per cent; scores, normalised values and
   * accessibility indices with two decimals. */
  function formatValue(field, v) {
    if (v === null || v === undefined || !isFinite(v))
      return '—';
    if (/^coverage_/.test(field))
      return intFormat.format(v * 100) + '%';
    if (/(_score|_norm|^af_(h|a|m0|weight))$|^access_(?!gap)/.test(field))
      return twoFormat.format(v);
    if (Math.abs(v) >= 100)
      return intFormat.format(v);
    return oneFormat.format(v);
  }

  function humanise(field) {
    var known = {
      population: 'Target population', area_km2: 'Area (km²)',
      providers_total: 'Providers', gap_per10k_total: 'Unmet need per 10,000'
    };
    if (known[field])
      return known[field];
    var text = field.replace(/_/g, ' ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /* ---- geometry --------------------------------------------------------- */

  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      var xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
      if ((yi > y) !== (yj > y) &&
          x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }
    return inside;
  }

  function inRegion(r, lon, lat) {
    var b = r.bbox;
    if (!b || lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3])
      return false;
    return (r.outline || []).some(function (poly) {
      return inRing(poly[0], lon, lat) &&
             !poly.slice(1).some(function (h) { return inRing(h, lon, lat); });
    });
  }

  function toLatLngs(r) {
    return (r.outline || []).map(function (poly) {
      return poly.map(function (ring) {
        var out = [];
        for (var i = 0; i < ring.length; i += 2)
          out.push([ring[i + 1], ring[i]]);
        return out;
      });
    });
  }

  /* ---- the data --------------------------------------------------------- */

  function Regions(viewer) {
    this.viewer = viewer;
    this.index = null;
    this.levels = {};    /* level -> promise of its file */
    this.data = {};      /* level -> its file, once read */
    this.hoverLayer = null;
    this.selectLayer = null;
    this.selected = null;
  }

  Regions.prototype.loadIndex = function () {
    var self = this;
    if (!this.indexPromise)
      this.indexPromise = fetchJSON('regions/index.json').then(function (ix) {
        self.index = ix;
        return ix;
      });
    return this.indexPromise;
  };

  Regions.prototype.levelInfo = function (level) {
    var levels = (this.index && this.index.levels) || [];
    for (var i = 0; i < levels.length; i++)
      if (levels[i].level === level)
        return levels[i];
    return levels[0] || null;
  };

  /* The file of a level, read once. */
  Regions.prototype.load = function (level) {
    var self = this;
    return this.loadIndex().then(function () {
      var info = self.levelInfo(level);
      if (!info)
        throw new Error('regions/index.json lists no level');
      if (!self.levels[info.level])
        self.levels[info.level] = fetchJSON(info.file).then(function (doc) {
          doc.byCode = {};
          doc.regions.forEach(function (r, i) {
            r.index = i;
            r.level = doc.level;
            r.folded = fold(r.name) + ' ' + fold(r.code);
            doc.byCode[r.code] = r;
          });
          self.data[info.level] = doc;
          return doc;
        });
      return self.levels[info.level];
    });
  };

  /* The figures of a level (regions/<level>-figures.json), read once and
   * put on the regions of its file: doc.fields, r.values. */
  Regions.prototype.loadFigures = function (level) {
    var self = this;
    return this.load(level).then(function (doc) {
      var info = self.levelInfo(doc.level);
      if (!doc.figuresPromise)
        doc.figuresPromise = (info.figures ? fetchJSON(info.figures)
                                           : Promise.resolve(null))
          .then(function (fig) {
            doc.fields = fig ? fig.fields : [];
            doc.regions.forEach(function (r, i) {
              r.values = fig ? fig.values[i] : [];
            });
            return doc;
          });
      return doc.figuresPromise;
    });
  };

  /* The level of the map shown (its maps.json "level"), else the finest. */
  Regions.prototype.currentLevel = function () {
    var spec = this.viewer.specs[this.viewer.active] || {};
    var info = this.levelInfo(spec.level);
    return info ? info.level : null;
  };

  Regions.prototype.find = function (doc, latlng) {
    for (var i = 0; i < doc.regions.length; i++)
      if (inRegion(doc.regions[i], latlng.lng, latlng.lat))
        return doc.regions[i];
    return null;
  };

  /* Small DOM helpers the viewer's tools and the report page share. */
  function byId(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className)
      e.className = className;
    if (text !== undefined)
      e.textContent = text;
    return e;
  }

  /* A region's value of field in a figures file (fields + values). */
  function valueOf(doc, r, field) {
    var i = doc.fields.indexOf(field);
    return i >= 0 ? r.values[i] : null;
  }

  window.mapgenRegionsLib = { fold: fold, formatValue: formatValue,
                              humanise: humanise, fetchJSON: fetchJSON,
                              Regions: Regions, toLatLngs: toLatLngs,
                              LABEL_FONT: LABEL_FONT, byId: byId, el: el,
                              valueOf: valueOf };
})();
