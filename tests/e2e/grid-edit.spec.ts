import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { fromWgs84 } from '../../src/geo/crs-china';
import { canvasInk, collectErrors, keepScreenshot, pagePoint, pickCellForEditing, waitForCells } from './helpers';

test('an admin splits a cell with a drawn line, merges it back with shift-click, undoes, and validates the tiling', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('layer-event').uncheck();
  const before = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
  const cell = await pickCellForEditing(page, 200);
  const at = (lngLat: [number, number]) => pagePoint(page, lngLat);
  const centre = await at(cell.lngLat as [number, number]);

  // Split: a line from west of the cell to east of it, through its middle.
  const [w, , e] = cell.bbox;
  const west = await at([w - 0.0005, cell.lngLat[1] as number]);
  const east = await at([e + 0.0005, cell.lngLat[1] as number]);
  await page.getByTestId('edit-split').click();
  await page.waitForFunction(() => window.__gridatlas?.drawReady() === true);
  await page.mouse.click(west.x, west.y);
  await page.mouse.click(east.x, east.y);
  await page.keyboard.press('Enter');
  // The database previews the split (nothing written yet), then the admin commits it.
  await expect(page.getByTestId('edit-pending-edit')).toContainText('拆分预览');
  await expect(page.getByTestId('edit-pending-edit').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('edit-pending-edit')).toContainText('新网格');
  await keepScreenshot(page, '08a-grid-split-preview');
  await page.getByTestId('edit-commit').click();
  await expect(page.getByTestId('edit-message')).toContainText('已拆分');
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n + 1, before);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  await keepScreenshot(page, '08-grid-split');

  // Merge the two halves back: click one, shift-click the other.
  await page.mouse.click(centre.x, centre.y - 12);
  await page.keyboard.down('Shift');
  await page.mouse.click(centre.x, centre.y + 12);
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('edit-picked')).toContainText('、');
  await page.getByTestId('edit-merge').click();
  await expect(page.getByTestId('edit-pending-edit')).toContainText('合并预览');
  await page.getByTestId('edit-commit').click();
  await expect(page.getByTestId('edit-message')).toContainText('已合并');
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n, before);

  // Undo stays with the session: the panel closed and opened again still undoes, and says what.
  await page.getByTestId('edit-open').click();
  await expect(page.getByTestId('grid-edit')).toBeHidden();
  await page.getByTestId('edit-open').click();
  await expect(page.getByTestId('edit-undo-what')).toContainText(/撤销将还原编辑 #\d+（合并：/);

  // Undo the merge (two cells again), then undo the split (one cell, its old code).
  await page.getByTestId('edit-undo').click();
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n + 1, before);
  await expect(page.getByTestId('edit-undo-what')).toContainText(/撤销将还原编辑 #\d+（拆分：/);
  await expect(page.getByTestId('edit-undo-what')).toContainText(/重做将再次执行编辑 #\d+（合并：/);
  await keepScreenshot(page, '08b-grid-undo-what');
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-message')).toContainText(`已撤销，恢复 ${cell.code}`);
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n, before);
  await expect(page.getByTestId('edit-history')).toContainText('撤销');

  // The tiling is still exact: the check finds no gap and no overlap.
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('无缝无叠');
  await keepScreenshot(page, '09-grid-validated');

  // Reshape: drag a corner the picked cell shares with neighbours of its own community; every cell
  // on that corner follows, so the tiling stays exact.
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as FeatureCollection<
    MultiPolygon,
    { code: string; community_code: string }
  >;
  const owners = new Map<string, Set<string>>();
  for (const f of cells.features) {
    for (const p of f.geometry.coordinates[0]?.[0] ?? []) {
      const key = `${p[0]},${p[1]}`;
      owners.set(key, (owners.get(key) ?? new Set()).add(f.properties.community_code));
    }
  }
  const picked = cells.features.find((f) => f.properties.code === cell.code);
  const corner = picked?.geometry.coordinates[0]?.[0]?.find((p) => {
    const communities = owners.get(`${p[0]},${p[1]}`);
    return (
      communities?.size === 1 &&
      cells.features.filter((f) => f.geometry.coordinates[0]?.[0]?.some((q) => q[0] === p[0] && q[1] === p[1])).length >= 3
    );
  });
  if (!corner) throw new Error('no inner corner on the picked cell');
  await page.evaluate((p) => window.__gridatlas?.flyTo(p, 17), corner as [number, number]);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true && window.__gridatlas?.mapSettled() === true);
  const handle = await at(corner as [number, number]);
  await page.mouse.move(handle.x, handle.y);
  await page.mouse.down();
  await page.mouse.move(handle.x + 10, handle.y + 6, { steps: 4 });
  await page.mouse.move(handle.x + 25, handle.y + 15, { steps: 4 });
  // Mid-drag, the cells on the corner are previewed over the map (a canvas of their own, so the
  // map does not redraw), with the handle where the pointer is.
  const preview = page.getByTestId('drag-preview');
  await expect(preview).toBeVisible();
  const handleInk = await canvasInk(page, 'drag-preview', { x: handle.x + 25, y: handle.y + 15 }, 7);
  expect(handleInk).toBeGreaterThan(20);
  await keepScreenshot(page, '10a-grid-reshaping');
  await page.mouse.up();
  await expect(preview).toHaveCount(0);
  await expect(page.getByTestId('edit-message')).toContainText('边界已调整');
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('无缝无叠');
  await keepScreenshot(page, '10-grid-reshaped');

  // Drag a whole edge (its middle handle) of a border inside the district and one community: both
  // its ends move in every cell on them.
  const segmentKey = (a: number[], b: number[]) => [a.join(','), b.join(',')].sort().join(' ');
  const segments = new Map<string, number>();
  for (const f of cells.features) {
    const r = f.geometry.coordinates[0]?.[0] ?? [];
    for (let i = 0; i + 1 < r.length; i++) {
      const key = segmentKey(r[i] as number[], r[i + 1] as number[]);
      segments.set(key, (segments.get(key) ?? 0) + 1);
    }
  }
  const onOuterBoundary = new Set<string>();
  for (const [key, n] of segments) if (n === 1) for (const p of key.split(' ')) onOuterBoundary.add(p);
  const inner = (p: number[]) => !onOuterBoundary.has(p.join(',')) && owners.get(`${p[0]},${p[1]}`)?.size === 1;
  const ringOfPicked = picked?.geometry.coordinates[0]?.[0] ?? [];
  const edgeIndex = ringOfPicked.findIndex((a, i) => {
    const b = ringOfPicked[i + 1];
    return (
      b !== undefined &&
      inner(a) &&
      inner(b) &&
      segments.get(segmentKey(a, b)) === 2 &&
      ![a, b].some((p) => p[0] === corner[0] && p[1] === corner[1])
    );
  });
  if (edgeIndex < 0) throw new Error('no inner edge on the picked cell');
  const [ea, eb] = [ringOfPicked[edgeIndex] as number[], ringOfPicked[edgeIndex + 1] as number[]];
  const middle: [number, number] = [((ea[0] as number) + (eb[0] as number)) / 2, ((ea[1] as number) + (eb[1] as number)) / 2];
  await page.evaluate((p) => window.__gridatlas?.flyTo(p, 17), middle);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  // The reshape picked every cell it changed: pick the one cell again (a click just inside it).
  const [cx, cy] = cell.lngLat as [number, number];
  const inside = await at([middle[0] + (cx - middle[0]) * 0.15, middle[1] + (cy - middle[1]) * 0.15]);
  await page.mouse.click(inside.x, inside.y);
  await expect(page.getByTestId('edit-picked')).toHaveText(`已选：${cell.code}`);
  // The handles are drawn before the press lands on one (a press beside them pans the map).
  await page.waitForFunction(() => window.__gridatlas?.mapSettled() === true);
  const edgeHandle = await at(middle);
  await page.mouse.move(edgeHandle.x, edgeHandle.y);
  await page.mouse.down();
  await page.mouse.move(edgeHandle.x + 6, edgeHandle.y + 4, { steps: 4 });
  await page.mouse.move(edgeHandle.x + 14, edgeHandle.y + 9, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('edit-message')).toContainText('边界已调整');
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('无缝无叠');
  await keepScreenshot(page, '10b-grid-edge-dragged');
  expect(errors).toEqual([]);
});

test('an admin splits a cell into equal parts, draws a new cell with snapped corners, and undoes both', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('layer-event').uncheck();
  const before = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
  const cell = await pickCellForEditing(page, 260);
  const at = (lngLat: [number, number]) => pagePoint(page, lngLat);
  const centre = await at(cell.lngLat as [number, number]);

  // Three parts of equal area: two new codes; undo brings the one cell back.
  await page.getByTestId('edit-parts').fill('3');
  await page.getByTestId('edit-split-equal').click();
  await page.getByTestId('edit-commit').click();
  await expect(page.getByTestId('edit-message')).toContainText('已拆分');
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n + 2, before);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  await keepScreenshot(page, '08b-grid-split-equal');
  // The size rule: parts of a third of a cell are below a 100,000 m² minimum.
  await page.getByTestId('edit-size-rule').locator('summary').click();
  await page.getByTestId('edit-size-minAreaSquareMeters').fill('100000');
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems').locator('li', { hasText: cell.code })).toContainText('规模不符');
  await expect(page.getByTestId('edit-problems').locator('li', { hasText: cell.code })).toContainText('限值 100,000 m²');
  await page.getByTestId('edit-size-minAreaSquareMeters').fill('');
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-message')).toContainText(`已撤销，恢复 ${cell.code}`);
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n, before);

  // Draw a triangle on two corners of the cell (clicked 3 px off them: they snap) and its centre.
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as FeatureCollection<MultiPolygon, { code: string }>;
  const ring = cells.features.find((f) => f.properties.code === cell.code)?.geometry.coordinates[0]?.[0] ?? [];
  const v0 = await at(ring[0] as [number, number]);
  const v1 = await at(ring[1] as [number, number]);
  await page.getByTestId('edit-draw-cell').click();
  // The tool takes clicks once its snap targets are there (until then the map holds them).
  await page.waitForFunction(() => window.__gridatlas?.drawReady() === true);
  await page.mouse.click(v0.x + 3, v0.y + 2);
  await page.mouse.click(centre.x, centre.y);
  await page.mouse.click(v1.x - 2, v1.y + 3);
  // While drawing, the shape so far is sketched over the map (a canvas of its own: the map does
  // not redraw as the pointer moves), with a point where it closes.
  await page.mouse.move(v0.x + 20, v0.y + 20);
  const sketch = page.getByTestId('draw-sketch');
  await expect(sketch).toBeVisible();
  // The first corner, snapped onto the cell's vertex.
  const cornerInk = await canvasInk(page, 'draw-sketch', v0, 5);
  expect(cornerInk).toBeGreaterThan(20);
  await keepScreenshot(page, '08c0-grid-drawing');
  await page.mouse.click(v0.x + 3, v0.y + 2);
  await expect(sketch).toHaveCount(0);
  // The preview names only the picked cell: the snapped edge runs exactly along its border.
  await expect(page.getByTestId('edit-pending')).toContainText('新网格');
  await expect(page.getByTestId('edit-pending').locator('li')).toHaveCount(1);
  await expect(page.getByTestId('edit-pending').locator('li')).toContainText(`${cell.code} 让出`);
  await keepScreenshot(page, '08c-grid-draw-preview');
  await page.getByTestId('edit-commit-cell').click();
  await expect(page.getByTestId('edit-message')).toContainText('已绘制新网格');
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n + 1, before);
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('无缝无叠');
  await keepScreenshot(page, '08d-grid-drawn');
  await page.getByTestId('edit-undo').click();
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n, before);
  expect(errors).toEqual([]);
});

test('an admin imports a new design of a community from GeoJSON in GCJ-02: the check comes first, rejected rows download, undo restores', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  const before = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
  // The cells of one community in GCJ-02 (as AMap tools save them), the first without its code,
  // and a row with a line, which cannot be a cell.
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as FeatureCollection<
    MultiPolygon,
    { code: string; name: string; community_code: string }
  >;
  const community = cells.features[40]?.properties.community_code as string;
  const mine = cells.features.filter((f) => f.properties.community_code === community);
  const gcj = mine.map((f) => ({
    type: 'MultiPolygon',
    coordinates: f.geometry.coordinates.map((poly) => poly.map((ring) => ring.map((p) => fromWgs84(p as [number, number], 'gcj02')))),
  }));
  const file = {
    type: 'FeatureCollection',
    features: [
      ...mine.map((f, i) => ({
        type: 'Feature',
        properties: { 网格编码: i === 0 ? '' : f.properties.code, 名称: f.properties.name, 社区编码: community },
        geometry: gcj[i],
      })),
      {
        type: 'Feature',
        properties: { 名称: '一条线' },
        geometry: {
          type: 'LineString',
          coordinates: [
            [112.9, 28.2],
            [112.91, 28.2],
          ],
        },
      },
    ],
  };
  await page.getByTestId('edit-open').click();
  await page.getByTestId('edit-import').click();
  await page.getByTestId('boundary-crs').selectOption('gcj02');
  await page.getByTestId('boundary-file').setInputFiles({
    name: '社区网格.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(page.getByTestId('boundary-info')).toContainText(`GeoJSON · ${mine.length + 1} 个要素`);
  await expect(page.getByTestId('boundary-field-code')).toHaveValue('网格编码');
  await expect(page.getByTestId('boundary-field-community')).toHaveValue('社区编码');
  await expect(page.getByTestId('boundary-report')).toContainText(
    `可导入 ${mine.length} 个网格，将替换 1 个社区现有的 ${mine.length} 个网格`,
  );
  await expect(page.getByTestId('boundary-rejected')).toContainText(`第 ${mine.length + 1} 个要素是 LineString，不是面`);
  // Converted back from GCJ-02, the cells fit their community again: the check passes.
  await expect(page.getByTestId('boundary-problems')).toHaveText('检查通过：无缝隙、无重叠');
  const download = page.waitForEvent('download');
  await page.getByTestId('boundary-download').click();
  const saved = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(saved.features[0].properties).toMatchObject({ 名称: '一条线', _row: mine.length + 1, _field: 'geometry' });
  await keepScreenshot(page, '08e-boundary-import');
  await page.getByTestId('boundary-write').click();
  await expect(page.getByTestId('boundary-import')).toBeHidden();
  await expect(page.getByTestId('edit-message')).toContainText('已导入网格');
  // The first row had no code: a new code replaces it, the others keep theirs.
  await page.waitForFunction((n) => window.__gridatlas?.cellsLoaded === n, before);
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('无缝无叠');
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-message')).toContainText(`已撤销，恢复`);
  await expect(page.getByTestId('edit-message')).toContainText(mine[0]?.properties.code as string);

  // A file without its second cell: the check shows the gap before writing (it does not block);
  // after writing, the topology check finds it and one click gives it to a neighbour.
  await page.getByTestId('edit-import').click();
  await page.getByTestId('boundary-crs').selectOption('gcj02');
  await page.getByTestId('boundary-file').setInputFiles({
    name: '缺一个网格.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(JSON.stringify({ ...file, features: file.features.filter((_, i) => i !== 1) })),
  });
  await expect(page.getByTestId('boundary-report')).toContainText('缝隙');
  await page.getByTestId('boundary-write').click();
  await expect(page.getByTestId('edit-message')).toContainText('已导入网格');
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('缝隙');
  // Problems have a colour and a pattern of their own, and the legend names them.
  await expect(page.getByTestId('legend-problems')).toBeVisible();
  await keepScreenshot(page, '10d-topology-gap-hatched');
  await page.getByTestId('edit-fix').click();
  await expect(page.getByTestId('edit-message')).toContainText('已修复');
  await page.getByTestId('edit-validate').click();
  await expect(page.getByTestId('edit-problems')).toContainText('无缝无叠');
  expect(errors).toEqual([]);
});
