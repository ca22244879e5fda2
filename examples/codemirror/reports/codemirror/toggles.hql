-- Clicks on the syntax highlighting button per day, by wiki, editor and the state after the
-- click. The stream samples 6.25% of sessions, so counts are reweighted by 16.
SELECT
    '{from_date}' AS `date`,
    wiki,
    editor,
    enabled,
    COUNT(*) * 16 AS toggles
FROM event.codemirror_toggle
WHERE year = {year}
  AND month = {month}
  AND day = {day}
  AND toggled
GROUP BY wiki, editor, enabled
ORDER BY wiki, editor, enabled
