/** Word lists for believable Chinese names and addresses in the demo district (fictional). */

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '肖',
  '田',
  '董',
  '袁',
  '潘',
  '于',
  '蒋',
  '蔡',
  '余',
  '杜',
  '叶',
  '程',
  '苏',
  '魏',
  '吕',
  '丁',
  '任',
  '沈',
] as const;

/** Frequencies roughly following the national surname distribution (heaviest first). */
export const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 4));

export const GIVEN_CHARS = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '桂',
  '英',
  '华',
  '玉',
  '萍',
  '红',
  '鹏',
  '辉',
  '建',
  '国',
  '文',
  '慧',
  '宇',
  '浩',
  '欣',
  '婷',
  '雪',
  '琳',
  '晨',
  '志',
  '海',
  '梅',
  '兰',
  '凤',
  '佳',
  '俊',
  '峰',
  '瑶',
  '嘉',
  '子',
  '梓',
  '涵',
  '睿',
  '轩',
  '怡',
  '博',
  '宁',
  '湘',
  '麓',
] as const;

/** Syllables for place, road and community names. */
export const PLACE_WORDS = [
  '麓山',
  '桃花',
  '枫林',
  '银盆',
  '望城',
  '岳华',
  '含浦',
  '梅溪',
  '观沙',
  '金星',
  '咸嘉',
  '望月',
  '西湖',
  '桔洲',
  '天马',
  '学士',
  '莲花',
  '洋湖',
  '坪塘',
  '象鼻',
  '白鹤',
  '书香',
  '云栖',
  '清风',
  '翠湖',
  '芙蓉',
  '先导',
  '谷苑',
  '茶山',
  '新民',
  '长丰',
  '柏林',
  '溁湾',
  '牌楼',
  '后湖',
  '荣湾',
  '黄金',
  '湘浦',
  '丽景',
  '映日',
  '和平',
  '兴隆',
  '瑞祥',
  '景园',
  '青山',
  '桐梓',
  '涧溪',
  '南湖',
] as const;

export const ROAD_SUFFIXES = { arterial: '大道', secondary: '路', minor: '街' } as const;

export const PLACE_CATEGORIES = [
  { category: '住宅小区', weight: 14, risk: [0, 0, 1] },
  { category: '商铺', weight: 30, risk: [0, 1] },
  { category: '餐饮店', weight: 16, risk: [0, 1, 1, 2] },
  { category: '出租屋', weight: 14, risk: [0, 1, 2] },
  { category: '网吧', weight: 2, risk: [1, 2] },
  { category: '娱乐场所', weight: 3, risk: [1, 2, 3] },
  { category: '学校', weight: 2, risk: [1] },
  { category: '幼儿园', weight: 2, risk: [1] },
  { category: '医院诊所', weight: 3, risk: [1] },
  { category: '加油站', weight: 1, risk: [3] },
  { category: '建筑工地', weight: 3, risk: [2, 3] },
  { category: '小作坊', weight: 4, risk: [1, 2, 3] },
  { category: '仓库', weight: 4, risk: [1, 2] },
  { category: '养老机构', weight: 1, risk: [1, 2] },
  { category: '宗教场所', weight: 1, risk: [0, 1] },
] as const;

export const THING_CATEGORIES = [
  { category: '消防栓', weight: 25, risk: [0] },
  { category: '监控摄像头', weight: 25, risk: [0] },
  { category: '井盖', weight: 20, risk: [0, 1] },
  { category: '路灯', weight: 10, risk: [0] },
  { category: '垃圾收集点', weight: 10, risk: [0, 1] },
  { category: '电动车充电桩', weight: 6, risk: [1, 2] },
  { category: '燃气调压箱', weight: 4, risk: [2, 3] },
] as const;

export const ORGANISATION_CATEGORIES = [
  { category: '企业', weight: 35, risk: [0, 1, 2] },
  { category: '个体工商户', weight: 30, risk: [0, 1] },
  { category: '社会组织', weight: 10, risk: [0] },
  { category: '党组织', weight: 6, risk: [0] },
  { category: '物业公司', weight: 9, risk: [0, 1] },
  { category: '危化品经营单位', weight: 2, risk: [3] },
  { category: '机关事业单位', weight: 8, risk: [0] },
] as const;

export const ORGANISATION_SUFFIXES = ['有限公司', '商行', '服务中心', '协会', '科技有限公司', '物业管理有限公司'] as const;

/**
 * Event categories with their share of all events, severity weights (1..4), the hours they
 * happen at (24 weights) and how much more often they happen at weekends.
 */
export interface EventCategory {
  category: string;
  share: number;
  severity: [number, number, number, number];
  hours: 'day' | 'evening' | 'night' | 'commute' | 'flat';
  weekendFactor: number;
  /** Share drawn around markets and transit hubs rather than where people live. */
  hotspotShare: number;
}

export const EVENT_CATEGORIES: EventCategory[] = [
  { category: '市容环境', share: 22, severity: [6, 3, 1, 0], hours: 'day', weekendFactor: 1.0, hotspotShare: 0.5 },
  { category: '占道经营', share: 17, severity: [5, 4, 1, 0], hours: 'evening', weekendFactor: 1.5, hotspotShare: 0.8 },
  { category: '噪音扰民', share: 12, severity: [4, 4, 1, 0], hours: 'night', weekendFactor: 1.8, hotspotShare: 0.3 },
  { category: '邻里纠纷', share: 9, severity: [3, 4, 2, 1], hours: 'evening', weekendFactor: 1.4, hotspotShare: 0.1 },
  { category: '交通秩序', share: 8, severity: [3, 4, 2, 1], hours: 'commute', weekendFactor: 0.7, hotspotShare: 0.7 },
  { category: '设施损坏', share: 7, severity: [4, 4, 2, 0], hours: 'day', weekendFactor: 0.9, hotspotShare: 0.2 },
  { category: '违章建筑', share: 6, severity: [2, 4, 3, 1], hours: 'day', weekendFactor: 1.2, hotspotShare: 0.1 },
  { category: '消防安全', share: 5, severity: [1, 3, 4, 2], hours: 'flat', weekendFactor: 1.0, hotspotShare: 0.4 },
  { category: '治安隐患', share: 5, severity: [1, 3, 4, 2], hours: 'night', weekendFactor: 1.3, hotspotShare: 0.6 },
  { category: '环境污染', share: 4, severity: [2, 3, 3, 1], hours: 'flat', weekendFactor: 1.0, hotspotShare: 0.2 },
  { category: '食品安全', share: 3, severity: [1, 3, 3, 2], hours: 'day', weekendFactor: 1.1, hotspotShare: 0.7 },
  { category: '安全生产', share: 2, severity: [1, 2, 4, 3], hours: 'day', weekendFactor: 0.6, hotspotShare: 0.2 },
];

export const EVENT_SOURCES = ['grid_worker', 'citizen', 'hotline', 'camera', 'sensor', 'department'] as const;
export const EVENT_SOURCE_WEIGHTS = [45, 20, 15, 12, 5, 3] as const;

/** Hour-of-day weights (0..23) for each temporal pattern. */
export const HOUR_PROFILES: Record<EventCategory['hours'], number[]> = {
  day: [0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 2, 4, 6, 6, 5, 4, 5, 6, 6, 5, 4, 2, 1, 0.6, 0.4, 0.3, 0.2],
  evening: [0.8, 0.4, 0.2, 0.1, 0.1, 0.2, 0.4, 1, 2, 2, 2, 3, 3, 2, 2, 2, 3, 5, 7, 8, 8, 6, 4, 2],
  night: [6, 5, 3, 1.5, 0.6, 0.3, 0.3, 0.5, 0.6, 0.6, 0.6, 0.7, 1, 1, 0.7, 0.7, 0.8, 1, 1.5, 2, 3, 5, 7, 8],
  commute: [0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 3, 8, 9, 4, 2, 2, 3, 2, 2, 2, 3, 7, 9, 5, 2, 1, 0.6, 0.3],
  flat: [2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2],
};
