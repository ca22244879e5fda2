"""The built-in web UI: read-only pages over a project's spec, series store, event store,
reports and schemas, with every asset shipped in the package (no CDN)."""
