// Draw the grids of a region on a Leaflet map; base-map tiles only when a tile URL is set.
(function () {
  const el = document.getElementById("map");
  if (!el || !window.L) return;
  const map = L.map(el, { attributionControl: false });
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((fc) => {
      const layer = L.geoJSON(fc, {
        style: { color: "#b42318", weight: 1, fillOpacity: 0.15 },
        onEachFeature: (f, l) => l.bindTooltip(f.properties.name + " " + f.properties.code),
      }).addTo(map);
      el.dataset.features = String(fc.features.length);
      if (fc.features.length) map.fitBounds(layer.getBounds());
      else map.setView([35, 105], 4);
    });
})();
