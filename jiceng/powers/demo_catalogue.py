"""Demo catalogue: powers a township enforcement team really uses (written for the demo).

Names follow the wording of county comprehensive-enforcement power lists; the legal bases
name the law the power rests on. All of it is demo data (PowerItem.demo = True).
"""

from jiceng.org.models import Sector

# The codes other apps link to; their meaning must not change.
FIXED = [
    (
        "JC-CF-001",
        "对未取得建设工程规划许可证进行建设的行政处罚",
        "penalty",
        Sector.ENFORCEMENT,
        "《中华人民共和国城乡规划法》第六十四条",
    ),
    (
        "JC-CF-002",
        "对随意倾倒、抛撒、堆放城市生活垃圾的行政处罚",
        "penalty",
        Sector.ENFORCEMENT,
        "《城市生活垃圾管理办法》第四十二条",
    ),
    (
        "JC-CF-003",
        "对占道经营的行政处罚",
        "penalty",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十六条",
    ),
    (
        "JC-CF-004",
        "对擅自设置户外广告设施的行政处罚",
        "penalty",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十六条",
    ),
    (
        "JC-CF-005",
        "对餐饮服务业油烟污染的行政处罚",
        "penalty",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十八条",
    ),
    (
        "JC-CF-006",
        "对无照经营的行政处罚",
        "penalty",
        Sector.MARKET,
        "《无证无照经营查处办法》第十三条",
    ),
    (
        "JC-QZ-001",
        "责令停止违法建设（查封施工现场）",
        "coercion",
        Sector.ENFORCEMENT,
        "《中华人民共和国城乡规划法》第六十八条",
    ),
]

# (subject, sector, law): each becomes a 行政处罚 item; the first ones also a 行政检查 item.
SUBJECTS = [
    (
        "未按照建设工程规划许可证的规定进行建设",
        Sector.ENFORCEMENT,
        "《中华人民共和国城乡规划法》第六十四条",
    ),
    (
        "在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设",
        Sector.ENFORCEMENT,
        "《中华人民共和国城乡规划法》第六十五条",
    ),
    ("未经批准进行临时建设", Sector.ENFORCEMENT, "《中华人民共和国城乡规划法》第六十六条"),
    (
        "临时建筑物、构筑物超过批准期限不拆除",
        Sector.ENFORCEMENT,
        "《中华人民共和国城乡规划法》第六十六条",
    ),
    (
        "建设单位未在竣工验收后六个月内报送竣工验收资料",
        Sector.ENFORCEMENT,
        "《中华人民共和国城乡规划法》第六十七条",
    ),
    ("擅自改变房屋用途破坏承重结构", Sector.HOUSING, "《住宅室内装饰装修管理办法》第三十八条"),
    ("未经批准擅自占用、挖掘城市道路", Sector.ENFORCEMENT, "《城市道路管理条例》第四十二条"),
    ("在城市道路范围内堆放物料", Sector.ENFORCEMENT, "《城市道路管理条例》第四十二条"),
    ("机动车在城市道路上拖刮行驶", Sector.ENFORCEMENT, "《城市道路管理条例》第四十二条"),
    (
        "擅自在街道两侧和公共场地堆放物料",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十六条",
    ),
    (
        "在城市建筑物、设施以及树木上涂写、刻画",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十四条",
    ),
    ("未经批准张挂、张贴宣传品", Sector.ENFORCEMENT, "《城市市容和环境卫生管理条例》第三十四条"),
    (
        "随地吐痰、便溺，乱扔果皮、纸屑和烟头",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十四条",
    ),
    (
        "在露天场所和垃圾收集容器内焚烧树叶、垃圾",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十九条",
    ),
    (
        "露天焚烧秸秆、落叶等产生烟尘污染的物质",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十九条",
    ),
    (
        "在人口集中地区露天烧烤食品",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十八条",
    ),
    (
        "施工工地未设置硬质围挡或未采取覆盖措施",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十五条",
    ),
    (
        "运输煤炭、垃圾、渣土等物料未采取密闭措施",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十六条",
    ),
    ("未经核准擅自处置建筑垃圾", Sector.ENFORCEMENT, "《城市建筑垃圾管理规定》第二十五条"),
    ("随意倾倒、抛撒或者堆放建筑垃圾", Sector.ENFORCEMENT, "《城市建筑垃圾管理规定》第二十六条"),
    (
        "未按规定分类投放生活垃圾",
        Sector.ENFORCEMENT,
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条",
    ),
    (
        "生活垃圾收集、运输单位未按规定分类收运",
        Sector.ENFORCEMENT,
        "《中华人民共和国固体废物污染环境防治法》第一百一十一条",
    ),
    (
        "餐厨垃圾交由未经许可的单位收运处置",
        Sector.ENFORCEMENT,
        "《城市生活垃圾管理办法》第四十一条",
    ),
    (
        "未经同意擅自拆除、迁移环境卫生设施",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十九条",
    ),
    (
        "损坏各类环境卫生设施及其附属设施",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十八条",
    ),
    (
        "饲养家畜家禽影响市容和环境卫生",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十五条",
    ),
    (
        "不按规定时间、地点、方式倾倒垃圾、粪便",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十四条",
    ),
    (
        "户外广告设施未按规定维护导致破损、污浊",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十七条",
    ),
    (
        "擅自设置大型户外广告影响市容",
        Sector.ENFORCEMENT,
        "《城市市容和环境卫生管理条例》第三十六条",
    ),
    ("擅自占用城市绿地", Sector.ENFORCEMENT, "《城市绿化条例》第二十七条"),
    ("擅自砍伐城市树木", Sector.ENFORCEMENT, "《城市绿化条例》第二十六条"),
    ("损坏城市绿化设施", Sector.ENFORCEMENT, "《城市绿化条例》第二十六条"),
    ("在城市照明设施上刻划、涂污", Sector.ENFORCEMENT, "《城市照明管理规定》第三十二条"),
    (
        "擅自在城市照明设施上架设线缆、安置其他设施",
        Sector.ENFORCEMENT,
        "《城市照明管理规定》第三十二条",
    ),
    ("未取得燃气经营许可证从事燃气经营活动", Sector.ENFORCEMENT, "《城镇燃气管理条例》第四十五条"),
    ("燃气用户擅自改装、迁移燃气设施", Sector.ENFORCEMENT, "《城镇燃气管理条例》第四十九条"),
    ("擅自在城市公共供水管道上直接装泵抽水", Sector.ENFORCEMENT, "《城市供水条例》第三十五条"),
    (
        "向城市排水设施排放污水未取得排水许可",
        Sector.ENFORCEMENT,
        "《城镇排水与污水处理条例》第五十条",
    ),
    ("损坏、擅自占压城镇排水设施", Sector.ENFORCEMENT, "《城镇排水与污水处理条例》第五十六条"),
    ("建筑施工噪声扰民", Sector.ENFORCEMENT, "《中华人民共和国噪声污染防治法》第七十七条"),
    (
        "在噪声敏感建筑物集中区域夜间进行产生噪声的施工",
        Sector.ENFORCEMENT,
        "《中华人民共和国噪声污染防治法》第七十七条",
    ),
    (
        "商业经营活动中使用高音广播喇叭招揽顾客",
        Sector.ENFORCEMENT,
        "《中华人民共和国噪声污染防治法》第八十二条",
    ),
    ("文化娱乐场所边界噪声超标", Sector.ENVIRONMENT, "《中华人民共和国噪声污染防治法》第八十一条"),
    (
        "餐饮服务单位未安装油烟净化设施",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十八条",
    ),
    (
        "在居民住宅楼等非商用建筑内新建产生油烟的餐饮项目",
        Sector.ENFORCEMENT,
        "《中华人民共和国大气污染防治法》第一百一十八条",
    ),
    ("未按规定设置和管理停车场", Sector.ENFORCEMENT, "《城市道路管理条例》第四十二条"),
    ("共享单车运营企业未及时清理违规停放车辆", Sector.ENFORCEMENT, "地方市容环境卫生条例"),
    (
        "非法占用耕地建窑、建坟或者擅自在耕地上建房",
        Sector.NATURAL_RESOURCES,
        "《中华人民共和国土地管理法》第七十五条",
    ),
    (
        "农村村民未经批准或者采取欺骗手段骗取批准非法占用土地建住宅",
        Sector.NATURAL_RESOURCES,
        "《中华人民共和国土地管理法》第七十八条",
    ),
    ("未经批准非法占用土地", Sector.NATURAL_RESOURCES, "《中华人民共和国土地管理法》第七十七条"),
    (
        "买卖或者以其他形式非法转让土地",
        Sector.NATURAL_RESOURCES,
        "《中华人民共和国土地管理法》第七十四条",
    ),
    ("无证开采矿产资源", Sector.NATURAL_RESOURCES, "《中华人民共和国矿产资源法》第三十九条"),
    (
        "在河道管理范围内乱堆乱放、乱采乱挖",
        Sector.WATER,
        "《中华人民共和国河道管理条例》第四十四条",
    ),
    ("在河道管理范围内建设妨碍行洪的建筑物", Sector.WATER, "《中华人民共和国防洪法》第五十六条"),
    ("未经许可取水", Sector.WATER, "《中华人民共和国水法》第六十九条"),
    (
        "向水体排放、倾倒工业废渣、城镇垃圾",
        Sector.ENVIRONMENT,
        "《中华人民共和国水污染防治法》第八十五条",
    ),
    (
        "畜禽养殖场未建设污染防治配套设施",
        Sector.ENVIRONMENT,
        "《畜禽规模养殖污染防治条例》第三十九条",
    ),
    ("在禁养区内建设畜禽养殖场", Sector.ENVIRONMENT, "《畜禽规模养殖污染防治条例》第三十七条"),
    ("未经批准擅自从事食品摊贩经营", Sector.MARKET, "地方食品小作坊小餐饮和食品摊贩管理条例"),
    (
        "食品摊贩未取得健康证明从事接触直接入口食品工作",
        Sector.MARKET,
        "《中华人民共和国食品安全法》第一百二十六条",
    ),
    ("销售过期食品", Sector.MARKET, "《中华人民共和国食品安全法》第一百二十四条"),
    ("经营者未明码标价", Sector.MARKET, "《价格违法行为行政处罚规定》第十三条"),
    ("使用不合格计量器具", Sector.MARKET, "《中华人民共和国计量法实施细则》第四十四条"),
    ("销售不合格燃气器具", Sector.MARKET, "《中华人民共和国产品质量法》第四十九条"),
    (
        "擅自从事互联网上网服务经营活动",
        Sector.MARKET,
        "《互联网上网服务营业场所管理条例》第二十七条",
    ),
    ("公共场所未取得卫生许可证经营", Sector.HEALTH, "《公共场所卫生管理条例实施细则》第三十五条"),
    (
        "公共场所从业人员未取得有效健康合格证明",
        Sector.HEALTH,
        "《公共场所卫生管理条例实施细则》第三十八条",
    ),
    ("在禁止吸烟场所吸烟不听劝阻", Sector.HEALTH, "地方控制吸烟条例"),
    ("个人未取得《医疗机构执业许可证》擅自执业", Sector.HEALTH, "《医疗机构管理条例》第四十三条"),
    ("生活饮用水供水单位未取得卫生许可", Sector.HEALTH, "《生活饮用水卫生监督管理办法》第二十五条"),
    ("养犬未办理登记或者携犬出户未束犬链", Sector.POLICE, "地方养犬管理条例"),
    ("违反规定燃放烟花爆竹", Sector.POLICE, "《烟花爆竹安全管理条例》第四十二条"),
    (
        "生产经营单位未建立安全生产事故隐患排查治理制度",
        Sector.EMERGENCY,
        "《中华人民共和国安全生产法》第一百零二条",
    ),
    ("小型经营场所未配置消防器材", Sector.EMERGENCY, "《中华人民共和国消防法》第六十条"),
    ("占用、堵塞、封闭消防通道", Sector.EMERGENCY, "《中华人民共和国消防法》第六十条"),
    ("电动自行车在楼道、安全出口停放充电", Sector.EMERGENCY, "地方消防条例"),
    ("未经批准擅自举办大型群众性活动", Sector.POLICE, "《大型群众性活动安全管理条例》第二十条"),
    (
        "在文物保护单位保护范围内进行建设工程",
        Sector.EDUCATION,
        "《中华人民共和国文物保护法》第六十六条",
    ),
    ("擅自设立校外培训机构", Sector.EDUCATION, "地方民办教育促进条例"),
    ("用人单位未按规定参加社会保险", Sector.LABOUR, "《中华人民共和国社会保险法》第八十四条"),
    ("拖欠农民工工资拒不改正", Sector.LABOUR, "《保障农民工工资支付条例》第五十四条"),
    ("旅游经营者未取得许可经营旅行社业务", Sector.COMMERCE, "《中华人民共和国旅游法》第九十五条"),
    ("成品油零售企业违规经营", Sector.COMMERCE, "地方成品油市场管理办法"),
    ("物业服务企业未履行垃圾分类管理责任", Sector.HOUSING, "地方生活垃圾管理条例"),
    ("房屋出租人未按规定登记", Sector.HOUSING, "《商品房屋租赁管理办法》第二十三条"),
    ("擅自拆改燃气、供热设施", Sector.HOUSING, "地方物业管理条例"),
    ("在公路用地范围内设置非公路标志", Sector.TRANSPORT, "《中华人民共和国公路法》第七十九条"),
    (
        "在公路上及公路用地范围内摆摊设点、堆放物品",
        Sector.TRANSPORT,
        "《中华人民共和国公路法》第七十七条",
    ),
    ("非法从事道路旅客运输经营", Sector.TRANSPORT, "《中华人民共和国道路运输条例》第六十三条"),
    ("违法发布户外商业广告", Sector.MARKET, "《中华人民共和国广告法》第五十八条"),
    ("违反规定修建殡葬设施", Sector.CIVIL, "《殡葬管理条例》第十八条"),
    (
        "将应当火化的遗体土葬或者在公墓和农村公益性墓地以外的区域埋葬",
        Sector.CIVIL,
        "《殡葬管理条例》第二十条",
    ),
    ("未经批准开展社会组织活动", Sector.CIVIL, "《社会团体登记管理条例》第三十二条"),
]

# Other kinds a township meets (permits, confirmations, rewards ...): (code, name, type, sector).
OTHERS = [
    ("JC-XK-001", "农村村民住宅建设用地审批", "permit", Sector.NATURAL_RESOURCES),
    ("JC-XK-002", "乡村建设规划许可证核发", "permit", Sector.NATURAL_RESOURCES),
    ("JC-XK-003", "临时占用城市道路许可", "permit", Sector.URBAN),
    ("JC-XK-004", "城市建筑垃圾处置核准", "permit", Sector.URBAN),
    (
        "JC-XK-005",
        "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批",
        "permit",
        Sector.URBAN,
    ),
    ("JC-XK-006", "砍伐城市树木、迁移古树名木审批", "permit", Sector.URBAN),
    ("JC-XK-007", "食品摊贩登记", "permit", Sector.MARKET),
    ("JC-XK-008", "公共场所卫生许可", "permit", Sector.HEALTH),
    ("JC-ZS-001", "城市生活垃圾处理费征收", "levy", Sector.URBAN),
    ("JC-ZS-002", "城市道路占用、挖掘修复费征收", "levy", Sector.URBAN),
    ("JC-GF-001", "最低生活保障金给付", "benefit", Sector.CIVIL),
    ("JC-GF-002", "特困人员救助供养金给付", "benefit", Sector.CIVIL),
    ("JC-GF-003", "临时救助金给付", "benefit", Sector.CIVIL),
    ("JC-GF-004", "高龄津贴发放", "benefit", Sector.CIVIL),
    ("JC-GF-005", "残疾人两项补贴发放", "benefit", Sector.CIVIL),
    ("JC-QR-001", "农村宅基地使用权确认的初审", "confirmation", Sector.NATURAL_RESOURCES),
    ("JC-QR-002", "居民家庭经济状况核对", "confirmation", Sector.CIVIL),
    ("JC-QR-003", "独生子女父母光荣证发放确认", "confirmation", Sector.HEALTH),
    ("JC-JL-001", "对举报违法建设有功人员的奖励", "reward", Sector.ENFORCEMENT),
    ("JC-JL-002", "对见义勇为人员的表彰奖励", "reward", Sector.POLICE),
    ("JC-CJ-001", "土地权属争议的调处", "ruling", Sector.NATURAL_RESOURCES),
    ("JC-CJ-002", "林木林地权属争议的调处", "ruling", Sector.NATURAL_RESOURCES),
    ("JC-QT-001", "农村土地承包经营纠纷调解", "other", Sector.NATURAL_RESOURCES),
    ("JC-QT-002", "人民调解协议的指导", "other", Sector.GENERAL),
    ("JC-QZ-002", "暂扣占道经营的物品、工具", "coercion", Sector.ENFORCEMENT),
    ("JC-QZ-003", "查封、扣押违法建设的施工工具、材料", "coercion", Sector.ENFORCEMENT),
    ("JC-QZ-004", "强制拆除违法建筑物、构筑物", "coercion", Sector.ENFORCEMENT),
    ("JC-QZ-005", "代履行清除乱倒的生活垃圾", "coercion", Sector.ENFORCEMENT),
    ("JC-QZ-006", "暂扣违法设置的户外广告设施", "coercion", Sector.ENFORCEMENT),
    ("JC-QZ-007", "查封无照经营场所", "coercion", Sector.MARKET),
]

INSPECTED = 40  # the first subjects also get a 行政检查 item

# Beijing 2020 (京政发〔2020〕9号): department → (code prefix, count, sector it came from).
BEIJING = [
    ("城管执法部门", "BJ-CG", 393, Sector.ENFORCEMENT),
    ("生态环境部门", "BJ-ST", 4, Sector.ENVIRONMENT),
    ("水务部门", "BJ-SW", 22, Sector.WATER),
    ("农业农村部门", "BJ-NY", 1, Sector.GENERAL),
    ("卫生健康部门", "BJ-WJ", 11, Sector.HEALTH),
]
