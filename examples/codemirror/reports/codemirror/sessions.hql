-- Editing sessions with CodeMirror per day, by wiki and editor (the denominator of "toggles
-- per session"). Reweighted by 16 for the 6.25% session sampling, like toggles.
SELECT
    '{from_date}' AS `date`,
    wiki,
    editor,
    COUNT(DISTINCT session_token) * 16 AS sessions
FROM event.codemirror_toggle
WHERE year = {year}
  AND month = {month}
  AND day = {day}
GROUP BY wiki, editor
ORDER BY wiki, editor
