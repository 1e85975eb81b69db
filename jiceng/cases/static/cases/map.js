/* jiceng cases: pick a point on a Leaflet map or from the browser's location; show case points. */
(function () {
  function tiles(map, el) {
    var url = el.dataset.tiles;
    if (url) { L.tileLayer(url, { maxZoom: 19 }).addTo(map); }
  }
  // The areas the caller reports in (grids of their township, or the townships), named on hover;
  // without base-map tiles (offline) they are what the user finds their place by.
  function outline(map, el) {
    var raw = el.dataset.outline;
    if (!raw) { return null; }
    var layer = L.geoJSON(JSON.parse(raw), {
      style: { color: "#b42318", weight: 1, fillOpacity: 0.05 },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); }
    }).addTo(map);
    if (!layer.getLayers().length) { return null; }
    map.fitBounds(layer.getBounds());
    // Townships far apart are specks at the zoom that shows them all: while a township is small
    // on screen it gets a named label, and a tap on the label zooms there (and sets no point).
    // Labels that would overlap (townships of nearby cities) become one label naming them all,
    // which zooms to all of them.
    var towns = [], shown = L.layerGroup().addTo(map);
    layer.eachLayer(function (l) { if (l.feature.properties.level === "township") { towns.push(l); } });
    function relabel() {
      shown.clearLayers();
      var groups = [];
      towns.forEach(function (l) {
        var b = l.getBounds(), ne = map.latLngToContainerPoint(b.getNorthEast()), sw = map.latLngToContainerPoint(b.getSouthWest());
        if (Math.max(Math.abs(ne.x - sw.x), Math.abs(ne.y - sw.y)) >= 80) { return; }
        var at = map.latLngToContainerPoint(b.getCenter());
        var near = groups.filter(function (g) { return g.at.distanceTo(at) < 60; })[0];
        if (near) { near.towns.push(l); } else { groups.push({ at: at, towns: [l] }); }
      });
      groups.forEach(function (g) {
        var bounds = L.latLngBounds([]), names = g.towns.map(function (l) { bounds.extend(l.getBounds()); return l.feature.properties.name; });
        L.circleMarker(g.towns[0].getBounds().getCenter(), { radius: 6, color: "#b42318", bubblingMouseEvents: false })
          .bindTooltip(names.join(" · "), { permanent: true, direction: "top", interactive: true, className: "area-label" })
          .on("click", function () { map.fitBounds(bounds); })
          .addTo(shown);
      });
    }
    map.on("zoomend", relabel);
    relabel();
    return layer;
  }
  // Without an outline: the centre given, or all of China.
  function start(map, el, zoom) {
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { map.setView([35, 105], 4); } else { map.setView([lat, lon], zoom); }
  }
  window.jicengPicker = function (id) {
    var el = document.getElementById(id);
    if (!el || !window.L) { return; }
    var lon = document.getElementById("id_lon"), lat = document.getElementById("id_lat");
    var map = L.map(el);
    tiles(map, el);
    var areas = outline(map, el);
    if (!areas) { start(map, el, 13); }
    // choosing a township zooms the map to it, to tap the exact place there
    var township = document.getElementById("id_township_code");
    if (areas && township) {
      township.addEventListener("change", function () {
        areas.eachLayer(function (l) {
          if (l.feature.properties.code === township.value) { map.fitBounds(l.getBounds()); }
        });
      });
    }
    var marker = null;
    function put(y, x) {
      lat.value = y.toFixed(6); lon.value = x.toFixed(6);
      if (marker) { marker.setLatLng([y, x]); } else { marker = L.marker([y, x]).addTo(map); }
      var note = document.getElementById("where"); if (note) { note.textContent = (el.dataset.picked || "已选位置") + " " + lon.value + ", " + lat.value; }
    }
    map.on("click", function (e) {
      var target = e.originalEvent && e.originalEvent.target;
      if (target && target.closest && target.closest(".area-label")) { return; }  // a label zooms
      put(e.latlng.lat, e.latlng.lng);
    });
    // a form sent back with an error keeps its point: show it again
    if (parseFloat(lat.value) && parseFloat(lon.value)) { put(parseFloat(lat.value), parseFloat(lon.value)); }
    var btn = document.getElementById("locate-me");
    if (btn) {
      btn.addEventListener("click", function () {
        if (!navigator.geolocation) { alert(el.dataset.noGeo || "此浏览器不支持定位"); return; }
        navigator.geolocation.getCurrentPosition(function (p) {
          put(p.coords.latitude, p.coords.longitude); map.setView([p.coords.latitude, p.coords.longitude], 15);
        }, function (err) { alert((el.dataset.geoFailed || "无法获取定位：") + err.message); }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
    var key = document.getElementById("id_idempotency_key");
    if (key && !key.value) { key.value = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()); }
  };
  window.jicengPoints = function (id, points) {
    var el = document.getElementById(id);
    if (!el || !window.L) { return; }
    var map = L.map(el, { maxZoom: 18 });
    tiles(map, el);
    if (!outline(map, el)) { start(map, el, 11); }
    var colors = { closed: "#1b7f3b", rated: "#1b7f3b", rejected: "#9aa5b1", merged: "#9aa5b1" };
    var group = [];
    points.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], { radius: 6, color: colors[p.status] || "#c53030" })
        .bindPopup('<a href="/cases/' + p.code + '/">' + p.code + "</a>").addTo(map);
      group.push(m);
    });
    // Reports at one spot have bounds of zero size: zoom to a street view, not to infinity.
    if (group.length) { map.fitBounds(L.featureGroup(group).getBounds().pad(0.2), { maxZoom: 16 }); }
  };
})();
