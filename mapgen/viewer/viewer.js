/*
 * mapgen's viewer: reads maps.json (written by `mapgen run` beside this
 * file) and shows every map of it over the base of region outlines, one
 * thematic map at a time, with its legend.  docs/viewer.md has the
 * maps.json format and the page's behaviour.
 *
 * Everything comes from the folder this page is served from; the page
 * makes no other request.  Needs Leaflet 1.9 (lib/leaflet/leaflet.js).
 *
 * For tests and the curious, window.mapgenViewer holds the state below;
 * <body> carries data-map (the map shown) and data-tiles ("loading" while
 * tiles of the base or the map shown are in flight, else "loaded").
 */
(function () {
  'use strict';

  var OVERZOOM = 2;

  var viewer = {
    doc: null,        /* maps.json as read */
    map: null,        /* the L.Map */
    base: null,       /* the L.TileLayer of the outlines */
    layers: {},       /* map name -> L.TileLayer */
    specs: {},        /* map name -> its entry of maps.json */
    active: null,     /* name of the map shown */
    missingTiles: 0   /* tiles that failed to load (absent: nothing drawn) */
  };
  window.mapgenViewer = viewer;

  function $(id) {
    return document.getElementById(id);
  }

  function setStatus(text, isError) {
    var status = $('status');
    status.textContent = text;
    status.classList.toggle('error', !!isError);
    status.classList.toggle('visually-hidden', !isError);
  }

  function fetchJSON(url) {
    return fetch(url, { cache: 'no-cache' }).then(function (response) {
      if (!response.ok)
        throw new Error(url + ': HTTP ' + response.status);
      return response.json();
    });
  }

  /* [west, south, east, north] to L.LatLngBounds, or null when unusable. */
  function toBounds(b) {
    if (!Array.isArray(b) || b.length !== 4 ||
        !b.every(function (v) { return typeof v === 'number' && isFinite(v); }))
      return null;
    return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
  }

  function zoomOf(value, fallback) {
    return Number.isInteger(value) && value >= 0 && value <= 30 ? value
                                                                : fallback;
  }

  /* A map whose tile_size is 512 has "@2x" tiles: images of 256-px tiles
   * at twice the resolution, named {y}@2x.png.  They are shown as 256-px
   * tiles (sharp on high-density screens, downsampled on others), so the
   * URL gets the suffix when the template lacks it. */
  function tileTemplate(spec) {
    var url = spec.tiles;
    if (spec.tile_size === 512 && url.indexOf('@2x') < 0)
      url = url.replace('{y}', '{y}@2x');
    return url;
  }

  /* Tiles of a layer in flight, so the page can say when all are drawn.
   * A tile the server does not have (a transparent tile is never written)
   * fails quietly: Leaflet leaves it hidden, the base shows through. */
  function trackTiles(layer) {
    var pending = new Set();
    layer.on('tileloadstart', function (e) { pending.add(e.tile); });
    layer.on('tileload tileunload', function (e) {
      pending.delete(e.tile);
      updateTileState();
    });
    layer.on('tileerror', function (e) {
      pending.delete(e.tile);
      viewer.missingTiles++;
      updateTileState();
    });
    layer.pendingTiles = pending;
  }

  function updateTileState() {
    var busy = viewer.base.pendingTiles.size > 0 ||
               (viewer.active !== null &&
                viewer.layers[viewer.active].pendingTiles.size > 0);
    document.body.dataset.tiles = busy ? 'loading' : 'loaded';
  }

  function makeLayer(spec, bounds, zIndex, zooms) {
    var layer = L.tileLayer(tileTemplate(spec), {
      tileSize: 256,
      minZoom: zooms.min,
      maxZoom: zooms.max,
      minNativeZoom: zoomOf(spec.minzoom, zooms.min),
      maxNativeZoom: zoomOf(spec.maxzoom, zooms.max),
      /* No request for a tile outside the data: fewer absent tiles. */
      bounds: bounds,
      opacity: typeof spec.opacity === 'number' ? spec.opacity : 1,
      zIndex: zIndex,
      className: 'mg-layer-' + spec.name
    });
    trackTiles(layer);
    return layer;
  }

  /* The bounds of a map's data from its TileJSON, when it has one. */
  function loadLayerBounds(spec) {
    if (!spec.tilejson)
      return Promise.resolve(null);
    return fetchJSON(spec.tilejson).then(function (tj) {
      return toBounds(tj.bounds);
    }, function () {
      return null;
    });
  }

  /* Not layer.setOpacity(): in Leaflet 1.9 that also restarts the fade-in
   * of every tile loaded in the last 200 ms, even with fades off, so the
   * map flickers when the slider moves just after tiles arrive.  Leaflet
   * applies options.opacity itself whenever the layer is added again. */
  function setLayerOpacity(layer, value) {
    layer.options.opacity = value;
    var container = layer.getContainer();
    if (container)
      container.style.opacity = value;
  }

  function buildSwitcher(maps) {
    var fieldset = $('switcher');
    maps.forEach(function (spec) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = 'map';
      input.value = spec.name;
      input.id = 'map-' + spec.name;
      input.addEventListener('change', function () {
        if (input.checked)
          show(spec.name, true);
      });
      label.htmlFor = input.id;
      label.append(input, ' ', spec.title || spec.name);
      fieldset.append(label);
    });
    $('opacity').addEventListener('input', function (e) {
      var value = Number(e.target.value);
      setLayerOpacity(viewer.layers[viewer.active], value / 100);
      $('opacity-value').textContent = value + '%';
    });
    $('controls').hidden = false;
  }

  function showLegend(spec) {
    var list = Array.isArray(spec.legend) ? spec.legend : [];
    var items = $('legend-items');
    items.textContent = '';
    $('legend-title').textContent = spec.legend_title || spec.title ||
                                    spec.name;
    var group = null;
    list.forEach(function (entry) {
      /* Entries carry their group's title, when the legend has groups
       * (choropleth classes, then the dots of providers, say). */
      if (entry.group && entry.group !== group) {
        var heading = document.createElement('li');
        heading.className = 'legend-group';
        heading.textContent = entry.group;
        items.append(heading);
      }
      group = entry.group || null;
      var li = document.createElement('li');
      li.className = 'legend-item';
      var swatch = document.createElement('span');
      var shape = ['box', 'dot', 'line'].indexOf(entry.shape) >= 0
        ? entry.shape : 'box';
      swatch.className = 'swatch swatch-' + shape;
      swatch.setAttribute('aria-hidden', 'true');
      swatch.style.backgroundColor = entry.color;
      var label = document.createElement('span');
      label.textContent = entry.label;
      li.append(swatch, label);
      items.append(li);
    });
    /* The HTML legend is text a screen reader reads; the PNG legend is
     * shown only when maps.json has no list, else offered as a link
     * (planners paste it into reports). */
    var img = $('legend-image');
    var link = $('legend-link');
    img.hidden = list.length > 0 || !spec.legend_image;
    link.hidden = list.length === 0 || !spec.legend_image;
    if (spec.legend_image) {
      link.href = spec.legend_image;
      if (!img.hidden) {
        img.src = spec.legend_image;
        img.alt = 'Legend: ' + $('legend-title').textContent;
      }
    }
    $('legend').hidden = list.length === 0 && !spec.legend_image;
  }

  /* Shows one thematic map: the others are removed, not hidden, so their
   * tiles are not fetched. */
  function show(name, remember) {
    var spec = viewer.specs[name];
    if (viewer.active !== null && viewer.active !== name)
      viewer.map.removeLayer(viewer.layers[viewer.active]);
    viewer.active = name;
    document.body.dataset.map = name;
    var layer = viewer.layers[name];
    if (!viewer.map.hasLayer(layer))
      viewer.map.addLayer(layer);
    $('map-' + name).checked = true;
    var percent = Math.round(layer.options.opacity * 100);
    $('opacity').value = percent;
    $('opacity-value').textContent = percent + '%';
    showLegend(spec);
    if (viewer.onShow)
      viewer.onShow(name);
    setStatus('Showing: ' + (spec.title || name));
    if (remember)
      history.replaceState(null, '', '#map=' + encodeURIComponent(name));
    updateTileState();
  }

  /* The map the URL names (#map=NAME), or null. */
  function mapInUrl() {
    var match = /^#map=(.+)$/.exec(location.hash);
    var wanted = match ? decodeURIComponent(match[1]) : null;
    return Object.prototype.hasOwnProperty.call(viewer.specs, wanted)
      ? wanted : null;
  }

  function checkDoc(doc) {
    if (!doc || !Array.isArray(doc.maps) || doc.maps.length === 0)
      throw new Error('maps.json lists no maps');
    if (!toBounds(doc.bounds))
      throw new Error('maps.json: "bounds" must be [west, south, east, north]');
    doc.maps.concat(doc.base ? [doc.base] : []).forEach(function (spec) {
      if (!spec || typeof spec.name !== 'string' ||
          typeof spec.tiles !== 'string')
        throw new Error('maps.json: every map needs a "name" and "tiles"');
    });
  }

  function start(doc, layerBounds) {
    var bounds = toBounds(doc.bounds);
    var all = doc.maps.concat(doc.base ? [doc.base] : []);
    /* Past the deepest tiles the map zooms OVERZOOM levels further, the
     * tiles scaled up: a region too small to click at the last zoom still
     * gets a closer look. */
    var zooms = {
      min: Math.min.apply(null, all.map(function (s) {
        return zoomOf(s.minzoom, 0);
      })),
      max: Math.max.apply(null, all.map(function (s) {
        return zoomOf(s.maxzoom, 18);
      })) + OVERZOOM
    };
    /* Animations off for those who ask for less motion (and for the test,
     * which asks, so a screenshot never catches a tile half faded in). */
    var still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var map = L.map('map', {
      minZoom: zooms.min,
      maxZoom: zooms.max,
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still
    });
    viewer.map = map;
    map.fitBounds(bounds);
    /* The sources go in the panel, as text: they are long (licences and
     * all) and would cover the bottom of the map.  The map's corner keeps
     * Leaflet's credit. */
    $('attribution').textContent = doc.attribution || '';
    $('sources').hidden = !doc.attribution;

    var baseSpec = doc.base || { name: 'base', tiles: '' };
    viewer.base = makeLayer(baseSpec, bounds, 1, zooms);
    if (doc.base) {
      map.addLayer(viewer.base);
      $('base-note').textContent = 'Always shown beneath: ' +
                                   (doc.base.title || doc.base.name) + '.';
      $('base-note').hidden = false;
    }
    doc.maps.forEach(function (spec, i) {
      viewer.specs[spec.name] = spec;
      viewer.layers[spec.name] = makeLayer(spec, layerBounds[i] || bounds,
                                           2, zooms);
    });
    buildSwitcher(doc.maps);
    /* Identify, search, labels, scale, print: tools.js, when present. */
    if (window.mapgenTools)
      window.mapgenTools(viewer);
    show(mapInUrl() || doc.maps[0].name, false);
    /* A link to another map of the same page (#map=NAME) switches. */
    window.addEventListener('hashchange', function () {
      var wanted = mapInUrl();
      if (wanted && wanted !== viewer.active)
        show(wanted, false);
    });
  }

  function fail(error) {
    var hint = location.protocol === 'file:'
      ? ' This page must be served by a web server, e.g. ' +
        '`python3 -m http.server -d out 8000`, then open ' +
        'http://localhost:8000/.'
      : '';
    setStatus('The maps could not be loaded: ' + error.message + '.' + hint,
              true);
    document.body.dataset.tiles = 'failed';
    console.error('mapgen viewer:', error);
  }

  function main() {
    fetchJSON('maps.json').then(function (doc) {
      checkDoc(doc);
      viewer.doc = doc;
      document.title = doc.title || 'Maps';
      $('title').textContent = doc.title || 'Maps';
      return Promise.all(doc.maps.map(loadLayerBounds)).then(function (lb) {
        start(doc, lb);
      });
    }).catch(fail);
  }

  if (typeof L === 'undefined')
    fail(new Error('Leaflet (lib/leaflet/leaflet.js) did not load'));
  else
    main();
})();
