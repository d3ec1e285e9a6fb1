/**
 * English names of the categories the data uses (event, place, thing, organisation and person
 * categories of the standard grid governance lists, and the demo's). Categories are data, kept
 * in Chinese in the database; the English UI shows these names, and a category not listed here
 * as it is.
 */
/** Event categories of the standard grid governance list: what cases are reported in when no events are loaded. */
export const EVENT_CATEGORY_NAMES = [
  '市容环境',
  '占道经营',
  '噪音扰民',
  '邻里纠纷',
  '交通秩序',
  '设施损坏',
  '违章建筑',
  '消防安全',
  '治安隐患',
  '环境污染',
  '食品安全',
  '安全生产',
] as const;

export const EN_CATEGORIES: Readonly<Record<string, string>> = {
  // Events
  市容环境: 'City appearance',
  占道经营: 'Street vending',
  噪音扰民: 'Noise nuisance',
  邻里纠纷: 'Neighbour dispute',
  交通秩序: 'Traffic order',
  设施损坏: 'Damaged facility',
  违章建筑: 'Illegal building',
  消防安全: 'Fire safety',
  治安隐患: 'Public security risk',
  环境污染: 'Pollution',
  食品安全: 'Food safety',
  安全生产: 'Work safety',
  // Places
  住宅小区: 'Residential compound',
  商铺: 'Shop',
  餐饮店: 'Restaurant',
  出租屋: 'Rental housing',
  网吧: 'Internet café',
  娱乐场所: 'Entertainment venue',
  学校: 'School',
  幼儿园: 'Kindergarten',
  医院诊所: 'Hospital or clinic',
  加油站: 'Petrol station',
  建筑工地: 'Construction site',
  小作坊: 'Small workshop',
  仓库: 'Warehouse',
  养老机构: 'Care home',
  宗教场所: 'Place of worship',
  农贸市场: 'Farmers’ market',
  交通枢纽: 'Transport hub',
  // Things (urban components)
  消防栓: 'Fire hydrant',
  监控摄像头: 'Surveillance camera',
  井盖: 'Manhole cover',
  路灯: 'Street light',
  垃圾收集点: 'Refuse collection point',
  电动车充电桩: 'E-bike charger',
  燃气调压箱: 'Gas regulator box',
  // Organisations
  企业: 'Company',
  个体工商户: 'Sole trader',
  社会组织: 'Social organisation',
  党组织: 'Party organisation',
  物业公司: 'Property management company',
  危化品经营单位: 'Hazardous chemicals dealer',
  机关事业单位: 'Public body',
  // People
  户籍人口: 'Registered resident',
  流动人口: 'Floating population',
  重点人员: 'Key person',
};

/** Returns a category's name in the UI's language (English from EN_CATEGORIES, else as stored). */
export function categoryLabel(category: string, language: string): string {
  return language.startsWith('en') ? (EN_CATEGORIES[category] ?? category) : category;
}
