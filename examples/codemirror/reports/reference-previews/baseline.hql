-- Footnote clicks and pageviews per day and wiki, without Reference Previews. The stream
-- samples 6.25% of pageviews, so counts are reweighted by 16 (the ratio needs no reweighting).
SELECT
    '{from_date}' AS `date`,
    wiki,
    SUM(IF(action = 'clicked_footnote', 1, 0)) * 16 AS footnote_clicks,
    COUNT(DISTINCT IF(action = 'pageview', pageview_token, NULL)) * 16 AS pageviews,
    SUM(IF(action = 'clicked_footnote', 1, 0))
        / COUNT(DISTINCT IF(action = 'pageview', pageview_token, NULL)) AS footnote_clicks_per_pageview
FROM event.reference_previews_baseline
WHERE year = {year}
  AND month = {month}
  AND day = {day}
GROUP BY wiki
ORDER BY wiki
