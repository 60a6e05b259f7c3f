/*
 * The report of one region of a parent level, for the civil-affairs
 * bureau of a county: report.html?county=CODE (any parent level's name
 * works: ?LEVEL=CODE).  Its map, its totals, its regions ranked by unmet
 * need per category and the recommended sites in it, from maps.json and
 * the per-region files (docs/viewer.md).  Without a code: the list of
 * reports.  Printable (A4 portrait).
 */
(function () {
  'use strict';

  var lib = window.mapgenRegionsLib;

  var $ = lib.byId, el = lib.el, valueOf = lib.valueOf;

  function cell(tr, tag, text, className) {
    var c = el(tag, className, text);
    tr.append(c);
    return c;
  }

  function headRow(table, titles) {
    var tr = el('tr');
    titles.forEach(function (t, i) {
      var th = cell(tr, 'th', t, i === 0 || (i === 1 && t === 'Region')
                                   ? 'name' : null);
      th.scope = 'col';
    });
    table.append(el('thead'));
    table.tHead.append(tr);
  }

  var FIGS = ['need_', 'supply_', 'gap_', 'coverage_'];

  function categories(index) {
    return (index.categories || []).concat([{ name: 'total',
                                              title: 'Total' }]);
  }

  function totals(index, doc, r) {
    var table = el('table', 'totals');
    headRow(table, ['Category', 'Need', 'Supply', 'Gap', 'Coverage']);
    var body = el('tbody');
    categories(index).forEach(function (c) {
      var tr = el('tr', c.name === 'total' ? 'total' : null);
      cell(tr, 'th', c.title.replace(/_/g, ' '), 'name').scope = 'row';
      FIGS.forEach(function (p) {
        cell(tr, 'td', lib.formatValue(p + c.name,
                                       valueOf(doc, r, p + c.name)))
          .dataset.field = p + c.name;
      });
      body.append(tr);
    });
    table.append(body);
    $('totals').append(table);
    $('totals').hidden = false;
  }

  /* Per category: the regions by unmet need, largest first (ties by
   * name), as the ranking CSV orders them. */
  function rankings(index, doc, children) {
    categories(index).forEach(function (c) {
      var gap = 'gap_' + c.name;
      var rows = children.slice().sort(function (a, b) {
        var d = (valueOf(doc, b, gap) || 0) - (valueOf(doc, a, gap) || 0);
        return d || String(a.name).localeCompare(String(b.name));
      });
      var h = el('h3', null, c.title.replace(/_/g, ' '));
      var table = el('table', 'ranking');
      table.dataset.category = c.name;
      headRow(table, ['Rank', 'Region', 'Code', 'Need', 'Supply', 'Gap',
                      'Coverage']);
      var body = el('tbody');
      rows.forEach(function (r, i) {
        var tr = el('tr');
        tr.dataset.code = r.code;
        cell(tr, 'td', String(i + 1));
        cell(tr, 'td', r.name, 'name');
        cell(tr, 'td', r.code);
        FIGS.forEach(function (p) {
          cell(tr, 'td', lib.formatValue(p + c.name,
                                         valueOf(doc, r, p + c.name)))
            .dataset.field = p + c.name;
        });
        body.append(tr);
      });
      table.append(body);
      $('rankings').append(h, table);
    });
    $('rankings').hidden = false;
  }

  function sitesTable(sites) {
    if (sites.length === 0) {
      $('sites').append(el('p', null, 'No recommended site lies in it.'));
    } else {
      var table = el('table', 'site-table');
      headRow(table, ['Method', 'Region', 'Category', 'Rank', 'Site',
                      'Need covered']);
      var body = el('tbody');
      sites.forEach(function (t) {
        var tr = el('tr');
        cell(tr, 'td', t.method, 'name');
        cell(tr, 'td', t.region_name || t.region_code || '', 'name');
        cell(tr, 'td', t.category);
        cell(tr, 'td', String(t.rank));
        cell(tr, 'td', t.name || t.candidate || '');
        cell(tr, 'td', lib.formatValue('need', t.need_covered));
        body.append(tr);
      });
      table.append(body);
      $('sites').append(table);
    }
    $('sites').hidden = false;
  }

  /* The map: the base and the first map of maps.json (or ?map=NAME),
   * fitted to the region, its regions outlined, the sites as dots. */
  function drawMap(maps, wanted, parent, children, sites) {
    $('report-map').hidden = false;
    var map = L.map('report-map', { zoomControl: false, fadeAnimation: false,
                                    zoomAnimation: false });
    var spec = maps.maps.filter(function (m) { return m.name === wanted; })[0] ||
               maps.maps[0];
    var pending = 0;
    var done = function () {
      if (--pending <= 0)
        document.body.dataset.report = 'ready';
    };
    [maps.base, spec].forEach(function (s) {
      if (!s)
        return;
      var layer = L.tileLayer(s.tiles.replace('{y}', s.tile_size === 512 &&
                                              s.tiles.indexOf('@2x') < 0
                                                ? '{y}@2x' : '{y}'), {
        tileSize: 256, maxNativeZoom: s.maxzoom, minNativeZoom: s.minzoom,
        maxZoom: 22, opacity: s === spec ? (s.opacity || 1) : 1,
        /* No request outside the data, as in the viewer. */
        bounds: L.latLngBounds([maps.bounds[1], maps.bounds[0]],
                               [maps.bounds[3], maps.bounds[2]])
      });
      pending++;
      layer.on('load', done);
      layer.addTo(map);
    });
    children.forEach(function (r) {
      L.polygon(lib.toLatLngs(r), { color: '#57606a', weight: 1,
                                    fill: false }).addTo(map);
    });
    L.polygon(lib.toLatLngs(parent), { color: '#1f2328', weight: 3,
                                       fill: false }).addTo(map);
    sites.forEach(function (t) {
      L.circleMarker([t.lat, t.lon], { radius: 5, color: '#fff', weight: 1.5,
                                       fillColor: '#0b5cad', fillOpacity: 1 })
        .addTo(map);
    });
    L.control.scale({ imperial: false }).addTo(map);
    /* A region without geometry: the whole map. */
    var b = parent.bbox || maps.bounds;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [10, 10] });
    setTimeout(function () { document.body.dataset.report = 'ready'; }, 15000);
    return spec;
  }

  function list(index, parentDoc) {
    var ul = $('report-links');
    parentDoc.regions.slice().sort(function (a, b) {
      return String(a.name).localeCompare(String(b.name));
    }).forEach(function (r) {
      var li = el('li');
      var a = el('a', null, r.name + ' (' + r.code + ')');
      a.href = '?' + encodeURIComponent(parentDoc.level) + '=' +
               encodeURIComponent(r.code);
      li.append(a);
      ul.append(li);
    });
    $('report-title').textContent = 'Reports per ' + parentDoc.level;
    $('report-list').hidden = false;
    document.body.dataset.report = 'ready';
  }

  function render(maps, index, childDoc, parentDoc, code, wanted) {
    var sources = maps.attribution ? 'Sources: ' + maps.attribution : '';
    $('report-sources').textContent = sources;
    $('project').textContent = maps.title || '';
    if (code === null)
      return list(index, parentDoc);
    var parent = parentDoc.byCode[code] || parentDoc.regions.filter(
      function (r) { return lib.fold(r.code) === lib.fold(code); })[0];
    if (!parent)
      throw new Error('no ' + parentDoc.level + ' with the code ' + code);
    var children = childDoc.regions.filter(function (r) {
      return r.parent === parent.index;
    });
    var codes = {};
    children.forEach(function (r) { codes[r.code] = true; });
    var sites = (index.sites || []).filter(function (t) {
      return codes[t.region_code];
    });
    document.title = parent.name + ' — report';
    $('report-title').textContent = parent.name;
    $('report-meta').textContent = parentDoc.level + ' ' + parent.code +
      ' · ' + children.length + ' ' + childDoc.level + ' regions · printed ' +
      new Date().toISOString().slice(0, 10);
    var spec = drawMap(maps, wanted, parent, children, sites);
    $('report-map').setAttribute('aria-label', 'Map: ' + (spec.title || ''));
    totals(index, parentDoc, parent);
    rankings(index, childDoc, children);
    sitesTable(sites);
  }

  function main() {
    var params = new URLSearchParams(location.search);
    var regions = new lib.Regions({ specs: {}, active: null });
    Promise.all([lib.fetchJSON('maps.json'), regions.loadIndex()])
      .then(function (got) {
        var maps = got[0], index = got[1];
        var levels = index.levels || [];
        var li = 1, code = null;
        levels.forEach(function (info, i) {
          if (i > 0 && params.has(info.level)) {
            li = i;
            code = params.get(info.level);
          }
        });
        if (levels.length < 2)
          throw new Error('the run has a single level: no report per parent');
        return Promise.all([regions.loadFigures(levels[li - 1].level),
                            regions.loadFigures(levels[li].level)])
          .then(function (docs) {
            render(maps, index, docs[0], docs[1], code, params.get('map'));
          });
      }).catch(function (err) {
        $('report-status').textContent = 'The report could not be made: ' +
                                         err.message;
        document.body.dataset.report = 'failed';
      });
    $('print-report').addEventListener('click', function () {
      window.print();
    });
  }

  main();
})();
