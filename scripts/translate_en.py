"""Fill English translations into jiceng/locale/en/LC_MESSAGES/django.po from a table.

Run after `jiceng makemessages -l en`; entries already translated are kept.
"""

from pathlib import Path

import polib

EN = dict(
    line.split("|", 1)
    for line in """操作人|Actor
动作|Action
对象类型|Object type
对象编号|Object ID
对象|Object
变更前|Before
变更后|After
时间|Time
前一哈希|Previous hash
哈希|Hash
审计记录|Audit event
审计链头|Audit chain head
用户|User
名称|Name
前缀|Prefix
摘要|Digest
创建时间|Created at
过期时间|Expires at
吊销时间|Revoked at
最近使用|Last used
接口令牌|API token
后台任务心跳|Worker heartbeat
未找到|Not found
您要找的内容不存在，或不在您的管辖范围内。|What you are looking for does not exist, or is outside your area.
返回首页|Back to the home page
基层治理平台|Grassroots governance platform
菜单|Menu
我的待办|My inbox
区域网格|Regions and grids
单位|Units
管理后台|Administration
退出|Log out
登录|Log in
为基层放权赋能|Devolve power to the grassroots and give it the means to use it
用户名或密码不正确，请重新输入。|Wrong user name or password; please try again.
用户名|User name
密码|Password
省|Province
市|City
县区|County
乡镇街道|Township / street
村社区|Village / community
网格|Grid
区划代码|Division code
层级|Level
上级|Parent
边界 (GeoJSON, WGS84)|Boundary (GeoJSON, WGS84)
演示用合成边界|Synthetic demo boundary
区域|Region
职能部门|Department
人民政府/街道办|Government / sub-district office
队伍|Team
居(村)委会|Community committee
站所|Station
综合|General
综合执法|Comprehensive enforcement
自然资源|Natural resources
公安|Police
生态环境|Environment
城市管理|Urban management
卫生健康|Health
市场监管|Market regulation
住房城建|Housing and construction
交通运输|Transport
水务|Water
民政社会事务|Civil affairs
应急管理|Emergency management
教育文体|Education, culture and sport
人社|Human resources and social security
商务旅游|Commerce and tourism
宣传|Publicity
公用事业|Utilities
类型|Kind
职能|Sector
服务区域|Region served
上级单位|Parent unit
编制人数|Staff quota
公务用车|Official cars
备注|Note
居民|Resident
网格员|Grid worker
社工|Social worker
派遣员|Dispatcher
处置人员|Handler
分管领导|Leader in charge
执法人员|Enforcement officer
县级管理员|County administrator
考核人员|Assessor
平台管理员|Platform administrator
账号|Account
姓名|Name
电话|Phone
编制所在单位|Home unit
管理考核单位|Managing unit
管辖范围|Area of responsibility
职务|Title
人员|People
角色|Role
角色授予|Role grant
边界版本|Boundary version
您好，%(name)s|Hello, %(name)s
下沉干部|Seconded officer
编制在|home unit:
各部门交办给我和本单位的全部事项|Everything every department has asked of me and my unit
区域与网格|Regions and grids
居民服务|Resident services
您可以随时反映身边的问题，并凭查询码跟踪办理进度。|Report a problem near you at any time and follow it with your tracking code.
演示数据：此边界为合成边界，可通过 import_boundaries 导入真实边界替换|Demo data: this boundary is synthetic; replace it with real boundaries through import_boundaries
下级区域|Subregions
无|None
本级单位|Units at this level
您的账号尚未分配管辖区域，请联系管理员。|Your account has no area yet; please ask an administrator.
编制|Staff quota
人|people
辆|cars
下沉|Seconded
暂无人员|No people yet
没有可见的单位|No units visible to you
简体中文|Simplified Chinese
English|English
案件办理|Case
吹哨报到|Whistle
超期督办|Escalation
主动服务|Proactive service
数据填报|Data request
考核检查|Assessment
承接支持|Devolution support
其他|Other
待办|Open
已办结|Done
已关闭|Closed
事项|Subject
内容|Content
承办人|Assignee
承办单位|Assigned unit
交办单位|From unit
所属区域|Region
办理时限|Due
状态|State
链接|Link
来源键|Source key
详情|Details
关闭时间|Closed at
关闭原因|Reason for closing
待办任务|Task
全部|All
筛选|Filter
已超期|Overdue
没有待办事项|Nothing to do
去办理|Open it""".splitlines()
)

EXTRA_FILE = Path(__file__).with_name("translations_en.txt")


def main() -> None:
    table = dict(EN)
    if EXTRA_FILE.exists():
        for line in EXTRA_FILE.read_text(encoding="utf-8").splitlines():
            if "|" in line:
                zh, en = line.split("|", 1)
                table[zh] = en
    path = Path(__file__).resolve().parent.parent / "jiceng/locale/en/LC_MESSAGES/django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.msgid in table:
            en = table[entry.msgid]
            if entry.msgid_plural:  # "one||many" in the table; one form serves both without "||"
                one, _, many = en.partition("||")
                entry.msgstr_plural = {0: one, 1: many or one}
            else:
                entry.msgstr = en
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        elif "fuzzy" in entry.flags and entry.msgid:  # makemessages' guess from a similar message
            missing.append(entry.msgid)
        elif not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    po.save()
    print(f"translated {len(po) - len(missing)} of {len(po)}; missing: {missing[:20]}")


if __name__ == "__main__":
    main()
