/*
 * The period switcher of mapgen's viewer (docs/change.md, docs/viewer.md):
 * for a project with several periods, maps.json lists "periods" and, per
 * map, its "period" (a small multiple: {label, year, figure}) or its
 * "change" ({from, to, figure}).  This file adds a slider of the periods
 * below the map list; moving it shows the same figure in that period.
 *
 * It talks to viewer.js only through the page's URL (#map=NAME, which the
 * viewer follows) and document.body.dataset.map (the map shown), so the two
 * files stay apart.
 */
(function () {
  'use strict';

  /* The map of figure in period label, or null. */
  function mapOf(doc, figure, label) {
    var found = doc.maps.filter(function (m) {
      return m.period && m.period.figure === figure && m.period.label === label;
    });
    return found.length ? found[0].name : null;
  }

  /* The figure the map shown is about, and its period index (a change map
   * counts as its last period). */
  function current(doc) {
    var name = document.body.dataset.map;
    var spec = doc.maps.filter(function (m) { return m.name === name; })[0];
    if (!spec || !(spec.period || spec.change))
      return null;
    var figure = spec.period ? spec.period.figure : spec.change.figure;
    var label = spec.period ? spec.period.label : spec.change.to;
    var index = doc.periods.map(function (p) { return p.label; }).indexOf(label);
    return { figure: figure, index: index, isChange: !spec.period };
  }

  function build(doc) {
    var box = document.createElement('div');
    box.className = 'periods';
    box.id = 'periods';
    var label = document.createElement('label');
    label.htmlFor = 'period';
    label.textContent = 'Period ';
    var out = document.createElement('output');
    out.id = 'period-value';
    out.htmlFor = 'period';
    label.append(out);
    var input = document.createElement('input');
    input.type = 'range';
    input.id = 'period';
    input.min = 0;
    input.max = doc.periods.length - 1;
    input.step = 1;
    input.setAttribute('list', 'period-marks');
    var marks = document.createElement('datalist');
    marks.id = 'period-marks';
    doc.periods.forEach(function (p, i) {
      var o = document.createElement('option');
      o.value = i;
      o.label = p.label;
      marks.append(o);
    });
    var note = document.createElement('p');
    note.className = 'note';
    note.id = 'period-note';
    box.append(label, input, marks, note);
    var controls = document.getElementById('controls');
    controls.append(box);

    function sync() {
      var c = current(doc);
      input.disabled = !c;
      var i = c && c.index >= 0 ? c.index : doc.periods.length - 1;
      input.value = i;
      out.textContent = doc.periods[i].label;
      note.textContent = !c ? 'Choose a map of one period (or a change ' +
        'map) to move through the periods.'
        : c.isChange ? 'A change map: the slider shows the figure in one ' +
        'period.' : '';
    }
    input.addEventListener('input', function () {
      var c = current(doc);
      var p = doc.periods[Number(input.value)];
      out.textContent = p.label;
      var name = c ? mapOf(doc, c.figure, p.label) : null;
      if (name)
        location.hash = '#map=' + encodeURIComponent(name);
    });
    /* The viewer sets data-map on every switch, whoever asked for it. */
    new MutationObserver(sync).observe(document.body, {
      attributes: true, attributeFilter: ['data-map']
    });
    sync();
  }

  fetch('maps.json', { cache: 'no-cache' }).then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (doc) {
    if (doc && Array.isArray(doc.periods) && doc.periods.length > 1 &&
        Array.isArray(doc.maps))
      build(doc);
  }).catch(function (e) {
    console.error('mapgen viewer (periods):', e);
  });
})();
