"""The demo school's classroom side of the term so far, written through the observations services as the people
would have written it:

- observations: on past school days, staff observe colleagues' timetabled lessons in periods they are free, at about
  60-110% of their pace (the policy's quotas where it has them; else about one lesson a fortnight for teachers and
  more for leaders), with a topic, rubric scores, notes and mostly a talk afterwards; about half acknowledged by the
  observed teacher, some with a reply;
- reviews of notes, where the policy's review chain asks for them: each group leader reviews each of her group's
  teachers once, the office a few group leaders;
- the office's patrol of periods 1 and 3 on the last 10 school days: mostly normal, a few late / left early /
  absent (fined through `deductions` under V4) and one other issue;
- 4-6 lesson swaps over the next two weeks (the service refuses past ones): substitutes and one exchange, most
  approved, one waiting for the office, one rejected;
- the term's required experiments of the lab subjects (imported as the office imports them), lab sessions for most
  experiments already due, and two lab tidiness checks, one untidy.

Deterministic (`random.Random` with a fixed seed) and idempotent: nothing is added once the term has any of it. A
generated item a service refuses is skipped, never forced in.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections import defaultdict
from decimal import Decimal

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from inspections.models import ObservationKind, Per, ReviewRule
from inspections.selectors import policy_for, quotas_for_roles
from school.models import Role, School, Staff, Term, TimetableEntry
from school.selectors import current_term

from school.imports.workbook import ImportRefused

from .imports import SPEC, experiments_import, experiments_template
from .models import Experiment, LabSession, LessonSwap, NotesReview, Observation, Patrol, PatrolMark
from .rubric import rubric_for
from .selectors.labs import required_pairs
from .selectors.log import LEADERSHIP_ROLES, default_kind, leads_central_group, review_chain, reviewees_of_rule
from .services import labs as lab_services
from .services import log as log_services
from .services import patrol as patrol_services

ONE_DAY = dt.timedelta(days=1)
OFFICE_ROLES = (Role.OFFICE_STAFF, Role.DIRECTOR)

# Lessons observed a teaching week where the policy sets no quota (V4): a teacher about one a fortnight, a group
# leader a little more, a school leader or the office about three a month.
DEFAULT_RATE_TEACHER = 0.5
DEFAULT_RATE_GROUP_LEADER = 0.65
DEFAULT_RATE_LEADER = 0.8
PACE_RANGE = (0.6, 1.1)
BEHIND_SHARE = 0.35
# What the demo writes in reasonable time (about 10 ms an observation, through the service).
MAX_OBSERVATIONS = 1300
PATROL_DAYS = 10
PATROL_PERIODS = (1, 3)

# --- school data in the school's language -------------------------------------------------------------------

# Lesson topics by subject code and grade level (0: any grade), in the order a first term (1) and a second term (2)
# teach them. Primary grades share lists by pairs of years.
TOPICS = {
    1: {
        "chinese": {
            1: ["拼音 ɑ o e", "拼音 b p m f", "《秋天》", "《小小的船》", "《江南》", "《四季》", "《比尾巴》"],
            2: ["《小蝌蚪找妈妈》", "《我是什么》", "识字《场景歌》", "《曹冲称象》", "《坐井观天》", "《寒号鸟》"],
            3: ["《花的学校》", "《铺满金色巴掌的水泥道》", "《司马光》", "《总也倒不了的老屋》", "《富饶的西沙群岛》"],
            4: ["《观潮》", "《走月亮》", "《爬山虎的脚》", "《蟋蟀的住宅》", "《盘古开天地》", "《精卫填海》"],
            5: ["《白鹭》", "《桂花雨》", "《落花生》", "《将相和》", "《圆明园的毁灭》", "《慈母情深》"],
            6: ["《草原》", "《丁香结》", "《穷人》", "《少年闰土》", "《好的故事》", "《宇宙生命之谜》"],
            7: ["《春》", "《济南的冬天》", "《雨的四季》", "《秋天的怀念》", "《散步》", "《从百草园到三味书屋》",
                "《论语》十二章", "《纪念白求恩》", "《皇帝的新装》"],
            8: ["《消息二则》", "《藤野先生》", "《回忆我的母亲》", "《背影》", "《白杨礼赞》", "《三峡》",
                "《中国石拱桥》", "《苏州园林》", "《愚公移山》", "《周亚夫军细柳》"],
            9: ["《沁园春·雪》", "《我爱这土地》", "《敬业与乐业》", "《岳阳楼记》", "《醉翁亭记》", "《故乡》",
                "《我的叔叔于勒》", "《智取生辰纲》", "《范进中举》"],
        },
        "math": {
            1: ["准备课：数一数", "1～5的认识", "认识图形（一）", "6～10的认识", "11～20各数的认识", "20以内的进位加法"],
            2: ["长度单位：厘米和米", "100以内的加法（二）", "角的初步认识", "表内乘法（一）", "观察物体", "认识时间"],
            3: ["时、分、秒", "万以内的加法和减法", "测量：毫米和分米", "倍的认识", "长方形和正方形", "分数的初步认识"],
            4: ["大数的认识", "公顷和平方千米", "角的度量", "三位数乘两位数", "平行四边形和梯形", "除数是两位数的除法"],
            5: ["小数乘法", "位置", "小数除法", "可能性", "简易方程", "多边形的面积"],
            6: ["分数乘法", "位置与方向（二）", "分数除法", "比", "圆", "百分数（一）", "扇形统计图"],
            7: ["正数和负数", "数轴", "绝对值", "有理数的加法", "有理数的乘法", "整式的加减", "一元一次方程的解法",
                "几何图形", "直线、射线、线段", "角的比较与运算"],
            8: ["三角形的内角和", "全等三角形的判定", "角的平分线的性质", "轴对称", "等腰三角形", "整式的乘法",
                "乘法公式", "因式分解", "分式的运算"],
            9: ["一元二次方程的解法——配方法", "一元二次方程根与系数的关系", "二次函数的图象和性质",
                "二次函数与一元二次方程", "图形的旋转", "垂直于弦的直径", "圆周角", "直线和圆的位置关系", "概率初步"],
        },
        "english": {
            3: ["Unit 1 Hello!", "Unit 2 Colours", "Unit 3 Look at me!", "Unit 4 We love animals",
                "Unit 5 Let's eat!", "Unit 6 Happy birthday!"],
            4: ["Unit 1 My classroom", "Unit 2 My schoolbag", "Unit 3 My friends", "Unit 4 My home",
                "Unit 5 Dinner's ready", "Unit 6 Meet my family!"],
            5: ["Unit 1 What's he like?", "Unit 2 My week", "Unit 3 What would you like?", "Unit 4 What can you do?",
                "Unit 5 There is a big bed", "Unit 6 In a nature park"],
            6: ["Unit 1 How can I get there?", "Unit 2 Ways to go to school", "Unit 3 My weekend plan",
                "Unit 4 I have a pen pal", "Unit 5 What does he do?", "Unit 6 How do you feel?"],
            7: ["Starter Unit 1 Good morning!", "Unit 1 My name's Gina.", "Unit 2 This is my sister.",
                "Unit 3 Is this your pencil?", "Unit 4 Where's my schoolbag?", "Unit 5 Do you have a soccer ball?",
                "Unit 6 Do you like bananas?", "Unit 7 How much are these socks?", "Unit 8 When is your birthday?"],
            8: ["Unit 1 Where did you go on vacation?", "Unit 2 How often do you exercise?",
                "Unit 3 I'm more outgoing than my sister.", "Unit 4 What's the best movie theater?",
                "Unit 5 Do you want to watch a game show?", "Unit 6 I'm going to study computer science.",
                "Unit 7 Will people have robots?", "Unit 8 How do you make a banana milk shake?"],
            9: ["Unit 1 How can we become good learners?", "Unit 2 I think that mooncakes are delicious!",
                "Unit 3 Could you please tell me where the restrooms are?", "Unit 4 I used to be afraid of the dark.",
                "Unit 5 What are the shirts made of?", "Unit 6 When was it invented?"],
        },
        "physics": {
            8: ["长度和时间的测量", "运动的描述", "声音的产生与传播", "声音的特性", "温度", "熔化和凝固",
                "汽化和液化", "光的直线传播", "光的反射", "平面镜成像", "凸透镜成像的规律", "质量", "密度"],
            9: ["分子热运动", "内能", "比热容", "热机", "两种电荷", "电流和电路", "串联和并联", "电流的测量",
                "电压", "电阻", "欧姆定律", "电阻的测量"],
        },
        "chemistry": {
            9: ["物质的变化和性质", "化学是一门以实验为基础的科学", "走进化学实验室", "空气", "氧气", "制取氧气",
                "分子和原子", "原子的结构", "元素", "水的组成", "化学式与化合价", "质量守恒定律",
                "如何正确书写化学方程式"],
        },
        "biology": {
            7: ["生物的特征", "生物与环境的关系", "练习使用显微镜", "植物细胞", "动物细胞", "细胞的分裂",
                "种子植物", "种子的萌发", "绿色植物与生物圈的水循环", "光合作用吸收二氧化碳释放氧气"],
            8: ["腔肠动物和扁形动物", "软体动物和节肢动物", "鱼", "两栖动物和爬行动物", "鸟", "哺乳动物",
                "动物的运动", "细菌", "真菌", "人类对细菌和真菌的利用"],
            9: ["生物的生殖和发育", "基因控制生物的性状", "生物的进化", "传染病及其预防", "免疫与计划免疫",
                "用药与急救"],
        },
        "science": {
            1: ["我们知道的植物", "观察一棵植物", "校园里的植物", "用手来测量"],
            2: ["我们的地球家园", "土壤——动植物的乐园", "磁铁能吸引什么", "磁铁的两极"],
            3: ["水到哪里去了", "水沸腾了", "空气占据空间吗", "天气日历", "测量气温"],
            4: ["声音是怎样产生的", "声音是怎样传播的", "呼吸与消化", "让小车运动起来"],
            5: ["有关光的思考", "光是怎样传播的", "种子发芽实验", "地球的表面"],
            6: ["放大镜", "用显微镜观察身边的生命世界", "地球的运动", "电磁铁"],
        },
        "morality": {
            1: ["开开心心上学去", "校园里的号令", "我们的班级", "家人的爱"],
            3: ["我是独特的", "我们的班规我们订", "家是最温暖的地方", "安全记心上"],
            5: ["自主选择课余生活", "我们是班级的主人", "我们的公共生活", "美丽文字 民族瑰宝"],
            7: ["中学时代", "学习伴成长", "享受学习", "和朋友在一起", "走近老师", "师生之间", "探问生命", "守护生命"],
            8: ["丰富的社会生活", "网络生活新空间", "遵守社会规则", "以礼待人", "诚实守信", "勇担社会责任",
                "维护国家利益"],
            9: ["踏上强国之路", "坚持改革开放", "追求民主价值", "建设法治中国", "守望精神家园", "中国人 中国梦"],
        },
        "history": {
            7: ["中国境内早期人类的代表——北京人", "原始农耕生活", "夏商周的更替", "百家争鸣", "秦统一中国",
                "西汉建立和“文景之治”", "丝绸之路", "三国鼎立"],
            8: ["鸦片战争", "太平天国运动", "洋务运动", "甲午中日战争", "辛亥革命", "五四运动", "中国共产党诞生",
                "中国工农红军长征"],
            9: ["古代埃及", "希腊城邦和亚历山大帝国", "罗马城邦和罗马帝国", "文艺复兴运动", "新航路的开辟",
                "英国资产阶级革命", "美国的独立", "法国大革命和拿破仑帝国"],
        },
        "geography": {
            7: ["地球和地球仪", "地球的运动", "地图的阅读", "大洲和大洋", "海陆的变迁", "气温的变化与分布",
                "降水的变化与分布", "世界的气候"],
            8: ["从世界看中国", "人口", "地形和地势", "气候", "河流", "自然资源的基本特征", "交通运输", "农业"],
        },
        "pe": {
            1: ["队列队形：立正、稍息", "拍球游戏", "立定跳远", "跳短绳"],
            4: ["50米快速跑", "前滚翻", "投掷垒球", "跳长绳"],
            7: ["50米快速跑", "立定跳远", "篮球：行进间运球", "足球：脚内侧传球", "耐久跑", "排球：正面双手垫球",
                "广播体操", "一分钟跳绳"],
        },
        "music": {
            1: ["《你的名字叫什么》", "《小星星》", "《其多列》", "《小红帽》"],
            4: ["《我们的田野》", "《卢沟谣》", "欣赏《龙里格龙》", "《小螺号》"],
            7: ["《歌唱祖国》", "《我和你》", "《茉莉花》", "欣赏《彩云追月》", "欣赏《春节序曲》", "《青春舞曲》"],
        },
        "art": {
            1: ["让我们的画飘起来", "彩泥乐园", "我的太阳", "印印画画"],
            4: ["水墨游戏", "变化的颜色", "有趣的拼图", "家乡的桥"],
            7: ["色彩的魅力", "学习描绘身边的景物", "线条的表现力", "黑白灰的艺术", "手绘线条图像"],
        },
        "it": {
            0: ["认识计算机", "管理文件和文件夹", "文字处理软件的使用", "电子表格的基本操作", "制作演示文稿",
                "网络安全与文明上网"],
        },
    },
    2: {
        "chinese": {
            1: ["《春夏秋冬》", "《小公鸡和小鸭子》", "《夜色》", "《端午粽》", "《彩虹》", "《小猴子下山》"],
            2: ["《找春天》", "《雷锋叔叔，你在哪里》", "《画杨桃》", "《小马过河》", "《寓言二则》", "《蜘蛛开店》"],
            3: ["《燕子》", "《荷花》", "《守株待兔》", "《赵州桥》", "《小虾》", "《我变成了一棵树》"],
            4: ["《乡下人家》", "《天窗》", "《绿》", "《白桦》", "《猫》", "《小英雄雨来》"],
            5: ["《古诗三首》", "《祖父的园子》", "《草船借箭》", "《景阳冈》", "《刷子李》", "《威尼斯的小艇》"],
            6: ["《北京的春节》", "《腊八粥》", "《匆匆》", "《鲁滨逊漂流记》", "《十六年前的回忆》", "《为人民服务》"],
            7: ["《邓稼先》", "《说和做》", "《回忆鲁迅先生》", "《黄河颂》", "《木兰诗》", "《阿长与〈山海经〉》",
                "《卖油翁》", "《陋室铭》", "《爱莲说》"],
            8: ["《社戏》", "《回延安》", "《安塞腰鼓》", "《大自然的语言》", "《桃花源记》", "《小石潭记》",
                "《北冥有鱼》", "《关雎》"],
            9: ["《祖国啊，我亲爱的祖国》", "《孔乙己》", "《变色龙》", "《鱼我所欲也》", "《送东阳马生序》",
                "《出师表》", "《曹刿论战》", "《邹忌讽齐王纳谏》"],
        },
        "math": {
            1: ["认识图形（二）", "20以内的退位减法", "分类与整理", "100以内数的认识", "认识人民币"],
            2: ["数据收集整理", "表内除法（一）", "图形的运动（一）", "混合运算", "有余数的除法", "克和千克"],
            3: ["位置与方向（一）", "除数是一位数的除法", "复式统计表", "两位数乘两位数", "面积", "年、月、日"],
            4: ["四则运算", "运算定律", "小数的意义和性质", "三角形", "小数的加法和减法", "平均数与条形统计图"],
            5: ["观察物体（三）", "因数与倍数", "长方体和正方体", "分数的意义和性质", "分数的加法和减法", "折线统计图"],
            6: ["负数", "百分数（二）", "圆柱与圆锥", "比例", "鸽巢问题", "整理和复习"],
            7: ["相交线", "平行线的判定", "平移", "实数", "平面直角坐标系", "二元一次方程组", "不等式与不等式组",
                "数据的收集、整理与描述"],
            8: ["二次根式", "勾股定理", "平行四边形的判定", "矩形", "菱形", "一次函数", "数据的分析"],
            9: ["反比例函数", "相似三角形的判定", "相似三角形的应用举例", "锐角三角函数", "解直角三角形",
                "投影与视图"],
        },
        "english": {
            3: ["Unit 1 Welcome back to school!", "Unit 2 My family", "Unit 3 At the zoo", "Unit 4 Where is my car?",
                "Unit 5 Do you like pears?", "Unit 6 How many?"],
            4: ["Unit 1 My school", "Unit 2 What time is it?", "Unit 3 Weather", "Unit 4 At the farm",
                "Unit 5 My clothes", "Unit 6 Shopping"],
            5: ["Unit 1 My day", "Unit 2 My favourite season", "Unit 3 My school calendar",
                "Unit 4 When is the art show?", "Unit 5 Whose dog is it?", "Unit 6 Work quietly!"],
            6: ["Unit 1 How tall are you?", "Unit 2 Last weekend", "Unit 3 Where did you go?",
                "Unit 4 Then and now"],
            7: ["Unit 1 Can you play the guitar?", "Unit 2 What time do you go to school?",
                "Unit 3 How do you get to school?", "Unit 4 Don't eat in class.", "Unit 5 Why do you like pandas?",
                "Unit 6 I'm watching TV."],
            8: ["Unit 1 What's the matter?", "Unit 2 I'll help to clean up the city parks.",
                "Unit 3 Could you please clean your room?", "Unit 4 Why don't you talk to your parents?",
                "Unit 5 What were you doing when the rainstorm came?"],
            9: ["Unit 10 You're supposed to shake hands.", "Unit 11 Sad movies make me cry.",
                "Unit 12 Life is full of the unexpected.", "Unit 13 We're trying to save the earth!",
                "Unit 14 I remember meeting all of you in Grade 7."],
        },
        "physics": {
            8: ["力", "弹力", "重力", "牛顿第一定律", "二力平衡", "摩擦力", "压强", "液体的压强", "大气压强",
                "浮力", "阿基米德原理", "功", "杠杆", "滑轮", "机械效率"],
            9: ["电能 电功", "电功率", "测量小灯泡的电功率", "焦耳定律", "家庭电路", "磁现象 磁场", "电生磁",
                "电磁铁 电磁继电器", "电动机", "磁生电"],
        },
        "chemistry": {
            9: ["金属材料", "金属的化学性质", "金属资源的利用和保护", "溶液的形成", "溶解度", "溶液的浓度",
                "常见的酸和碱", "酸和碱的中和反应", "生活中常见的盐", "化学肥料", "人类重要的营养物质"],
        },
        "biology": {
            7: ["人的由来", "人的生殖", "青春期", "食物中的营养物质", "消化和吸收", "合理营养与食品安全",
                "呼吸道对空气的处理", "流动的组织——血液", "输送血液的泵——心脏", "尿液的形成和排出"],
            8: ["植物的生殖", "昆虫的生殖和发育", "鸟的生殖和发育", "基因控制生物的性状", "基因的显性和隐性",
                "生物的变异", "生物进化的原因", "传染病及其预防", "免疫与计划免疫"],
            9: ["生态系统", "生物圈是最大的生态系统", "健康地生活", "用药与急救"],
        },
        "science": {
            1: ["我们周围的物体", "观察物体的特征", "身边的动物", "蜗牛"],
            2: ["磁铁", "我们自己", "观察与测量", "发现生长"],
            3: ["植物的生长变化", "种植凤仙花", "动物的一生", "太阳、地球和月球"],
            4: ["电路", "点亮小灯泡", "简易电路", "岩石和土壤"],
            5: ["船的研究", "沉与浮", "热", "环境与我们"],
            6: ["小小工程师", "生物的多样性", "宇宙", "物质的变化"],
        },
        "morality": {
            1: ["我们爱整洁", "我和我的家", "我们在一起", "我们爱家乡"],
            3: ["我和我的同伴", "我们的学校", "我们的社区生活", "绿色小卫士"],
            5: ["完善自我 健康成长", "公共生活靠大家", "百年追梦 复兴中华", "我们的国土 我们的家园"],
            7: ["青春时光", "做情绪情感的主人", "在集体中成长", "走进法治天地"],
            8: ["坚持宪法至上", "理解权利义务", "人民当家作主", "崇尚法治精神"],
            9: ["我们共同的世界", "世界舞台上的中国", "走向未来的少年"],
        },
        "history": {
            7: ["隋朝的统一与灭亡", "从“贞观之治”到“开元盛世”", "宋代经济的发展", "元朝的统治",
                "明朝的对外关系", "清朝前期社会经济的发展"],
            8: ["中华人民共和国成立", "抗美援朝", "伟大的历史转折", "经济体制改革", "民族大团结",
                "科技文化成就"],
            9: ["第二次工业革命", "第一次世界大战", "十月革命", "经济大危机", "第二次世界大战", "冷战"],
        },
        "geography": {
            7: ["我们生活的大洲——亚洲", "东南亚", "印度", "俄罗斯", "中东", "欧洲西部", "撒哈拉以南非洲",
                "美国", "巴西"],
            8: ["中国的地理差异", "北方地区", "南方地区", "西北地区", "青藏地区", "北京", "台湾",
                "中国在世界中"],
        },
        "pe": {
            1: ["队列练习", "踢毽子", "障碍跑", "跳房子"],
            4: ["快速跑", "跳高", "前滚翻", "足球：运球"],
            7: ["100米跑", "跳远", "篮球：原地投篮", "足球：脚背正面运球", "实心球", "排球：传球", "800/1000米跑"],
        },
        "music": {
            1: ["《春天在哪里》", "《小鸭子》", "《布谷》", "《粗心的小画家》"],
            4: ["《歌声与微笑》", "《我们是春天》", "欣赏《春之声》", "《乒乓变奏曲》"],
            7: ["《春游》", "《七子之歌》", "欣赏《梁祝》片段", "《友谊地久天长》", "欣赏《黄河大合唱》"],
        },
        "art": {
            1: ["下雨啦", "花点心", "我的大手", "美丽的花"],
            4: ["水墨画动物", "绘画中的透视现象", "巧巧手", "节日的装饰"],
            7: ["传统文化中的纹样", "书法：楷书笔画", "设计应用：标志设计", "民间美术", "校园艺术节海报设计"],
        },
        "it": {
            0: ["图片的处理", "声音与视频", "网页的制作", "程序设计初步", "数据的收集与分析", "人工智能初体验"],
        },
    },
}

NOTE_OPENINGS = (
    "以生活情境导入，引出课题，学生兴趣较浓。",
    "复习旧知导入，过渡自然。",
    "开门见山出示学习目标，学生明确本节任务。",
    "以问题链贯穿全课，层层递进。",
    "课前预习检查后进入新课，节奏紧凑。",
)
NOTE_MIDDLES = (
    "新授环节讲练结合，板书条理清楚。",
    "小组合作讨论较充分，汇报时能说出思路。",
    "教师示范后学生独立练习，巡视指导及时。",
    "多媒体课件使用恰当，直观形象。",
    "课堂提问面较广，但集中在前排学生。",
    "重点处放慢节奏，让学生反复操练。",
)
NOTE_CLOSINGS = (
    "最后进行课堂小结并布置分层作业。",
    "当堂检测正确率较高，目标基本达成。",
    "下课前小结略显仓促。",
    "课尾留有学生提问时间。",
)
STRENGTHS = (
    "教学目标明确，重点突出，难点处理得当。",
    "教态亲切自然，语言规范，师生互动良好。",
    "注重学生主体地位，给学生留足思考时间。",
    "板书设计简洁美观，知识结构清晰。",
    "课堂组织有序，时间分配合理。",
    "能联系学生生活实际，激发学习兴趣。",
)
SUGGESTIONS = (
    "建议增加分层练习，关注学困生。",
    "提问后等待时间可再长一些，多让学生表达。",
    "小组合作要明确分工，避免流于形式。",
    "课堂小结可以让学生自己来梳理。",
    "注意控制讲授时间，增加当堂训练。",
    "评价语言可以更具体，多激励学生。",
    "板书可以更有条理，突出重点。",
)
REPLIES = (
    "谢谢指导，后面会注意分层设计练习。",
    "收到，小组合作的分工我再细化一下。",
    "感谢听课，欢迎再来指导。",
    "建议很中肯，下周的课改进后请您再来听。",
    "讲授时间确实偏长，下节课压缩到二十分钟以内。",
)
REVIEW_COMMENTS = {
    NotesReview.Verdict.GOOD: ("听课记录完整，评析具体，有自己的思考。", "记录详实，优缺点分析到位，建议有可操作性。"),
    NotesReview.Verdict.ADEQUATE: ("记录基本完整，评析部分可以再具体些。", "听课节数跟上了进度，建议多写改进建议。"),
    NotesReview.Verdict.IMPROVE: ("记录过于简单，缺少评析和建议。", "听课节数偏少，请按计划完成。"),
}
NO_NOTES_COMMENT = "本学期尚无听课记录，请按计划听课并及时记录。"

PATROL_FINDINGS = (  # status, weight, cause the office found
    (PatrolMark.Status.LATE, 5, ("前一节在另一栋楼上课，换教室耽误约3分钟。", "在办公室处理学生纠纷，迟到约5分钟。")),
    (PatrolMark.Status.LEFT_EARLY, 2, ("布置作业后提前离开教室，已谈话提醒。",)),
    (PatrolMark.Status.ABSENT, 1, ("记错课表，未到班上课，已安排补课。",)),
)
PATROL_OTHER_NOTES = ("教室投影仪故障，教师改用板书。", "课前纪律较乱，值日班干部未到位。")

SWAP_REASONS = (
    "参加县教研室组织的学科培训",
    "带学生参加镇中小学生运动会",
    "参加送教下乡活动",
    "身体不适，需到县医院复查",
    "家中有事，请假半天",
)
EXCHANGE_REASON = "与同班老师对调课时，便于连堂安排单元检测"
APPROVE_NOTE = "同意，请做好交接。"
REJECT_NOTE = "该时段为全年级统一检测时间，不宜调课，请另行安排。"

# The term's required experiments by subject code and grade: (name, 演示 or 分组), in teaching order.
EXPERIMENTS = {
    1: {
        "physics": {
            8: [("用刻度尺测量长度", "分组"), ("探究声音的产生与传播", "演示"), ("探究固体熔化时温度的变化规律", "分组"),
                ("探究水沸腾时温度变化的特点", "分组"), ("探究光的反射规律", "分组"), ("探究平面镜成像的特点", "分组"),
                ("探究凸透镜成像的规律", "分组"), ("测量盐水和小石块的密度", "分组")],
            9: [("扩散现象", "演示"), ("比较不同物质吸热的情况", "分组"), ("连接串联电路和并联电路", "分组"),
                ("练习使用电流表", "分组"), ("探究串、并联电路中电压的规律", "分组"),
                ("探究电流与电压、电阻的关系", "分组"), ("伏安法测电阻", "分组")],
        },
        "chemistry": {
            9: [("对蜡烛及其燃烧的探究", "分组"), ("测定空气里氧气的含量", "演示"), ("氧气的实验室制取与性质", "分组"),
                ("电解水", "演示"), ("质量守恒定律的探究", "演示"), ("二氧化碳的实验室制取与性质", "分组"),
                ("燃烧的条件", "分组")],
        },
        "biology": {
            7: [("练习使用显微镜", "分组"), ("观察洋葱鳞片叶内表皮细胞", "分组"), ("观察人的口腔上皮细胞", "分组"),
                ("探究种子萌发的环境条件", "分组"), ("绿叶在光下制造有机物", "演示"), ("观察叶片的结构", "分组")],
            8: [("观察蚯蚓", "分组"), ("观察鲫鱼", "演示"), ("检测不同环境中的细菌和真菌", "分组"), ("观察青霉", "分组")],
        },
        "science": {
            1: [("观察一棵植物", "分组"), ("用手来测量", "分组")],
            2: [("磁铁能吸引什么", "分组"), ("磁铁的两极", "演示")],
            3: [("水沸腾了", "演示"), ("空气占据空间吗", "分组"), ("测量气温", "分组")],
            4: [("声音是怎样产生的", "分组"), ("用纸杯做听诊器", "分组")],
            5: [("光是怎样传播的", "分组"), ("种子发芽实验", "分组")],
            6: [("用放大镜观察", "分组"), ("用显微镜观察洋葱表皮细胞", "分组"), ("电磁铁的磁力", "分组")],
        },
    },
    2: {
        "physics": {
            8: [("探究弹簧测力计的原理", "分组"), ("探究二力平衡的条件", "分组"), ("探究影响滑动摩擦力大小的因素", "分组"),
                ("探究液体压强的特点", "分组"), ("覆杯实验：大气压强的存在", "演示"),
                ("探究浮力的大小跟排开液体所受重力的关系", "分组"), ("探究杠杆的平衡条件", "分组"),
                ("测量滑轮组的机械效率", "分组")],
            9: [("测量小灯泡的电功率", "分组"), ("探究电流通过导体产生的热量与哪些因素有关", "演示"),
                ("探究通电螺线管外部的磁场分布", "分组"), ("探究电磁铁磁性强弱的影响因素", "分组"),
                ("探究导体在磁场中运动时产生感应电流的条件", "分组")],
        },
        "chemistry": {
            9: [("金属的物理性质和某些化学性质", "分组"), ("铁钉锈蚀条件的探究", "分组"),
                ("配制一定溶质质量分数的氯化钠溶液", "分组"), ("酸、碱的化学性质", "分组"),
                ("溶液酸碱性的检验", "分组"), ("粗盐中难溶性杂质的去除", "分组")],
        },
        "biology": {
            7: [("探究馒头在口腔中的变化", "分组"), ("测定某种食物中的能量", "分组"), ("观察血液的分层现象", "演示"),
                ("观察小鱼尾鳍内血液的流动", "分组"), ("模拟膈肌的运动", "演示")],
            8: [("观察鸡卵的结构", "分组"), ("探究花生果实大小的变异", "分组"), ("模拟保护色的形成过程", "分组"),
                ("植物的扦插", "演示")],
        },
        "science": {
            1: [("观察蜗牛", "分组"), ("给物体分类", "分组")],
            2: [("测量身体的长度", "分组"), ("种大蒜观察生长", "分组")],
            3: [("种植凤仙花", "分组"), ("观察月相变化", "演示")],
            4: [("点亮小灯泡", "分组"), ("导体与绝缘体", "分组")],
            5: [("沉与浮", "分组"), ("热是怎样传递的", "分组")],
            6: [("物质变化的观察", "分组"), ("搭建高塔", "分组")],
        },
    },
}
LAB_ROOMS = (("physics", "物理实验室"), ("chemistry", "化学实验室"), ("biology", "生物实验室"), ("science", "科学实验室"))
LAB_SESSION_NOTES = ("", "", "学生分组完成实验并填写实验报告。", "实验现象明显，学生兴趣浓厚。", "器材不足，两组合用一套。")
TIDY_NOTE = "器材摆放整齐，使用记录完整。"
UNTIDY_NOTE = "实验后器材未归位，实验台面有残留药品痕迹。"


# --- the entry point ----------------------------------------------------------------------------------------


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    schools = [root, *root.village_schools.order_by("pk")]
    term = current_term(root, today)
    if term is None or not term.contains(today):
        return None
    if _term_has_activity(schools, term):
        return None
    people = list(
        Staff.objects.filter(school__in=schools, is_active=True)
        .select_related("school", "user")
        .prefetch_related("roles", "led_groups", "groups")
        .order_by("school_id", "staff_no")
    )
    office = _office(people, root)
    if office is None:
        return None
    demo = _Demo(root=root, schools=schools, term=term, today=today, people=people, office=office, size=size)
    counts = demo.run()
    return _(
        "Observations: %(observations)s lessons observed (%(acknowledged)s acknowledged), %(reviews)s reviews of "
        "notes, %(marks)s patrol marks (%(incidents)s incidents), %(swaps)s lesson swaps, %(experiments)s required "
        "experiments, %(sessions)s lab sessions, %(checks)s lab checks."
    ) % counts


def _term_has_activity(schools, term: Term) -> bool:
    return (
        Observation.objects.filter(school__in=schools, term=term).exists()
        or Patrol.objects.filter(school__in=schools, term=term).exists()
        or LessonSwap.objects.filter(school__in=schools, term=term).exists()
        or LabSession.objects.filter(term=term, school_class__grade__school__in=schools).exists()
    )


def _office(people: list[Staff], root: School) -> Staff | None:
    """The member of the teaching office who patrols, decides swaps and checks labs: office staff, else the
    director."""
    for role in OFFICE_ROLES:
        for person in people:
            if person.school_id == root.pk and role in person.role_codes:
                return person
    return None


class _Demo:
    def __init__(self, *, root, schools, term, today, people, office, size):
        self.root = root
        self.schools = schools
        self.term = term
        self.today = today
        self.people = people
        self.by_id = {p.pk: p for p in people}
        self.office = office
        self.director = next(
            (p for p in people if p.school_id == root.pk and Role.DIRECTOR in p.role_codes), office
        )
        self.size = size
        self.policy = policy_for(root)
        holidays = term.holiday_spans
        last = min(today - ONE_DAY, term.end_date)
        self.past_days = [
            d for d in _days(term.start_date, last)
            if d.isoweekday() <= 5 and not any(d in span for span in holidays)
        ]
        ahead = min(today + dt.timedelta(days=14), term.end_date)
        self.next_days = [
            d for d in _days(today + ONE_DAY, ahead)
            if d.isoweekday() <= 5 and not any(d in span for span in holidays)
        ]
        entries = list(
            TimetableEntry.objects.filter(term=term, school_class__grade__school__in=schools)
            .select_related("school_class", "school_class__grade", "subject")
            .order_by("id")
        )
        self.entries = entries
        self.by_slot = defaultdict(list)  # (school id, weekday, period) -> entries
        self.busy = defaultdict(set)  # teacher id -> {(weekday, period)}
        self.lesson_days = defaultdict(set)  # (class id, subject id) -> weekdays
        self.of_teacher = defaultdict(list)  # (teacher id, weekday) -> entries
        self.of_class = defaultdict(list)  # (class id, weekday) -> entries
        for e in entries:
            school_id = e.school_class.grade.school_id
            self.by_slot[school_id, e.weekday, e.period].append(e)
            self.busy[e.teacher_id].add((e.weekday, e.period))
            self.lesson_days[e.school_class_id, e.subject_id].add(e.weekday)
            self.of_teacher[e.teacher_id, e.weekday].append(e)
            self.of_class[e.school_class_id, e.weekday].append(e)
        self.groups_of = {p.pk: {g.pk for g in p.groups.all()} for p in people}
        self.periods = defaultdict(set)  # school id -> period numbers with lessons
        for school_id, _weekday, period in self.by_slot:
            self.periods[school_id].add(period)
        self.counts = dict(observations=0, acknowledged=0, reviews=0, marks=0, incidents=0, swaps=0,
                           experiments=0, sessions=0, checks=0)

    def run(self) -> dict:
        observations = self.observe(random.Random(f"{self.root.code}-{self.term.pk}-observations"))
        self.acknowledge(observations, random.Random(f"{self.root.code}-{self.term.pk}-acknowledgements"))
        self.review(observations, random.Random(f"{self.root.code}-{self.term.pk}-reviews"))
        self.patrol(random.Random(f"{self.root.code}-{self.term.pk}-patrols"))
        self.swap(random.Random(f"{self.root.code}-{self.term.pk}-swaps"))
        self.labs(random.Random(f"{self.root.code}-{self.term.pk}-labs"))
        return self.counts

    # --- observations -------------------------------------------------------------------------------------

    def _pace(self, person: Staff):
        """Lessons a teaching week she is to observe (her strictest quota's, else the demo's default), and the
        kinds of observation that quota counts (None: any). Of quotas equally strict, one that counts only some
        kinds decides the kind, so that her observations count for each of them."""
        weeks = self.term.teaching_week_count or 1
        quotas = quotas_for_roles(self.policy, person.role_codes, in_central_group=leads_central_group(person))
        if quotas:
            strictness = {q.pk: q.count * (weeks if q.per == Per.WEEK else 1) for q in quotas}
            strictest = [q for q in quotas if strictness[q.pk] == max(strictness.values())]
            quota = max(strictest, key=lambda q: bool(q.counted_kinds))
            rate = quota.count if quota.per == Per.WEEK else quota.count / weeks
            return rate, list(quota.counted_kinds) or None
        roles = person.role_codes
        if roles & LEADERSHIP_ROLES:
            return DEFAULT_RATE_LEADER, None
        if person.led_groups.all():
            return DEFAULT_RATE_GROUP_LEADER, None
        if Role.TEACHER in roles:
            return DEFAULT_RATE_TEACHER, None
        return 0, None

    def observe(self, rng: random.Random) -> list[Observation]:
        days = self.past_days
        if not days:
            return []
        rubric = rubric_for(self.root)
        # The even pace of the quota lists counts every teaching week begun, this one included.
        weeks_begun = self.term.teaching_weeks_elapsed(self.today)
        received = defaultdict(int)  # teacher id -> observations of her lessons
        pairs = defaultdict(int)  # (observer id, teacher id) -> observations
        term_days = max(1, (self.term.end_date - self.term.start_date).days)
        topics = {}  # (class id, date, period) -> topic: observers of one lesson see the same lesson
        plans = []
        for person in self.people:
            rate, kinds = self._pace(person)
            # Most keep to their pace or a little ahead; about a third have fallen behind.
            pace = rate * weeks_begun
            if rng.random() < BEHIND_SHARE:
                wanted = int(rng.uniform(PACE_RANGE[0], 0.9) * pace + rng.random())
            else:
                wanted = math.ceil(rng.uniform(1.0, PACE_RANGE[1]) * pace - 0.05)
            if wanted > 0:
                plans.append((person, kinds, min(wanted, len(days))))
        plans = self._within_budget(plans, rng)
        made = []
        for person, kinds, wanted in plans:
            groups = self.groups_of[person.pk] | {g.pk for g in person.led_groups.all()}
            # Evenly through the term: one day drawn from each of `wanted` equal stretches of the days past.
            for index in range(wanted):
                stretch = days[len(days) * index // wanted: len(days) * (index + 1) // wanted] or days[-1:]
                for day in rng.sample(stretch, min(3, len(stretch))):
                    entry = self._lesson_to_observe(person, day, groups, received, pairs, rng)
                    if entry is None:
                        continue
                    observation = self._observe_one(person, day, entry, kinds, rubric, term_days, topics, rng)
                    if observation is not None:
                        made.append(observation)
                        received[entry.teacher_id] += 1
                        pairs[person.pk, entry.teacher_id] += 1
                        break
        self.counts["observations"] = len(made)
        return made

    def _lesson_to_observe(self, person, day, groups, received, pairs, rng):
        weekday = day.isoweekday()
        is_leader = bool(person.role_codes & LEADERSHIP_ROLES)
        candidates, weights = [], []
        for period in sorted(self.periods[person.school_id]):
            if (weekday, period) in self.busy[person.pk]:
                continue
            for entry in self.by_slot[person.school_id, weekday, period]:
                if entry.teacher_id == person.pk:
                    continue
                if entry.teacher_id not in self.by_id:
                    continue
                same_group = not groups.isdisjoint(self.groups_of[entry.teacher_id])
                weight = 1.0 if is_leader else (6.0 if same_group else 0.5)
                weight /= (1 + received[entry.teacher_id]) * (1 + 3 * pairs[person.pk, entry.teacher_id])
                candidates.append(entry)
                weights.append(weight)
        if not candidates:
            return None
        return rng.choices(candidates, weights=weights)[0]

    def _within_budget(self, plans, rng):
        """A school too big to write every observation quickly (a weekly quota at the large demo): the leaders
        observe as planned, and only a sample of the teachers, as many as the budget holds."""
        if sum(wanted for _p, _k, wanted in plans) <= MAX_OBSERVATIONS:
            return plans
        leaders = [plan for plan in plans if plan[0].role_codes & LEADERSHIP_ROLES or plan[0].led_groups.all()]
        others = [plan for plan in plans if plan not in leaders]
        rng.shuffle(others)
        budget = MAX_OBSERVATIONS - sum(wanted for _p, _k, wanted in leaders)
        kept = list(leaders)
        for plan in others:
            if plan[2] <= budget:
                kept.append(plan)
                budget -= plan[2]
        kept_ids = {person.pk for person, _k, _w in kept}
        return [plan for plan in plans if plan[0].pk in kept_ids]

    def _observe_one(self, person, day, entry, kinds, rubric, term_days, topics, rng) -> Observation | None:
        kind = default_kind(person)
        if kind == ObservationKind.LEADERSHIP and rng.random() < 0.12:
            kind = ObservationKind.UNANNOUNCED
        if kinds and kind not in kinds:
            kind = kinds[0]
        lesson = (entry.school_class_id, day, entry.period)
        if lesson not in topics:
            progress = (day - self.term.start_date).days / term_days
            topics[lesson] = _topic(entry.subject, entry.school_class.grade.level, self.term.number, progress, rng)
        total = min(97.0, max(66.0, rng.gauss(85, 5.5)))
        scores = {}
        for item in rubric:
            share = min(1.0, max(0.4, total / 100 + rng.uniform(-0.05, 0.05)))
            scores[item.pk] = min(item.max_score, (Decimal(str(round(float(item.max_score) * share * 2) / 2))))
        notes = rng.choice(NOTE_OPENINGS) + rng.choice(NOTE_MIDDLES) + rng.choice(NOTE_CLOSINGS)
        strengths = "".join(rng.sample(STRENGTHS, 2 if total >= 85 else 1))
        suggestions = "".join(rng.sample(SUGGESTIONS, 1 if total >= 85 else 2))
        discussed = rng.random() < 0.85
        talked = day
        if discussed and rng.random() < 0.3:
            later = next((d for d in self.past_days if d > day), None)
            talked = later or day
        try:
            return log_services.observation_create(
                observer=person, school_class=entry.school_class, date=day, period=entry.period,
                topic=topics[lesson],
                kind=kind, scores=scores, notes=notes, strengths=strengths, suggestions=suggestions,
                discussed=discussed, discussed_on=talked if discussed else None, user=person.user,
            )
        except (ValidationError, PermissionDenied):
            return None

    def acknowledge(self, observations: list[Observation], rng: random.Random) -> None:
        recent = self.today - dt.timedelta(days=7)
        acknowledged = 0
        for observation in observations:
            chance = 0.6 if observation.date < recent else 0.25
            if rng.random() >= chance:
                continue
            teacher = self.by_id[observation.teacher_id]
            try:
                if rng.random() < 0.3:
                    log_services.observation_reply(observation=observation, teacher=teacher,
                                                   text=rng.choice(REPLIES), user=teacher.user)
                else:
                    log_services.observation_acknowledge(observation=observation, teacher=teacher, user=teacher.user)
            except (ValidationError, PermissionDenied):
                continue
            acknowledged += 1
        self.counts["acknowledged"] = acknowledged

    # --- reviews of notes ---------------------------------------------------------------------------------

    def review(self, observations: list[Observation], rng: random.Random) -> None:
        if self.policy is None or not self.policy.review_rules.all() or not self.past_days:
            return
        notes = defaultdict(list)
        for observation in observations:
            notes[observation.observer_id].append(observation)
        recent = self.past_days[-15:]
        made = 0
        rules = {rule.reviewer: rule for rule in self.policy.review_rules.all()}
        # Each group leader reviews each of her group's teachers once so far.
        if ReviewRule.Reviewer.GROUP_LEADER in rules:
            rule = rules[ReviewRule.Reviewer.GROUP_LEADER]
            for leader in self.people:
                if not leader.led_groups.all():
                    continue
                day = rng.choice(recent)
                for reviewee in reviewees_of_rule(leader, rule).order_by("staff_no"):
                    made += self._review_one(leader, reviewee, day, notes, rng)
        # The office reviews a few group leaders.
        if ReviewRule.Reviewer.OFFICE in rules:
            chain = review_chain(self.director, self.policy)
            leaders = [p for p in self.people if p.pk in chain and p.led_groups.all()]
            for reviewee in rng.sample(leaders, min(len(leaders), 3 if self.size == "small" else 4)):
                made += self._review_one(self.director, reviewee, rng.choice(recent), notes, rng)
        self.counts["reviews"] = made

    def _review_one(self, reviewer, reviewee, day, notes, rng) -> int:
        written = [o for o in notes.get(reviewee.pk, []) if o.date <= day]
        if not written:
            verdict, comment = NotesReview.Verdict.IMPROVE, NO_NOTES_COMMENT
        else:
            verdict = rng.choices(list(REVIEW_COMMENTS), weights=(5, 4, 1))[0]
            comment = rng.choice(REVIEW_COMMENTS[verdict])
        try:
            log_services.notes_review_create(reviewer=reviewer, reviewee=reviewee, verdict=verdict, comment=comment,
                                             observations=written, date=day)
        except (ValidationError, PermissionDenied):
            return 0
        return 1

    # --- the patrol ---------------------------------------------------------------------------------------

    def patrol(self, rng: random.Random) -> None:
        days = self.past_days[-PATROL_DAYS:]
        slots = [(day, period) for day in days for period in PATROL_PERIODS if period in self.periods[self.root.pk]]
        if not slots:
            return
        user = self.office.user
        lessons = [
            (day, period, entry)
            for day, period in slots
            for entry in self.by_slot[self.root.pk, day.isoweekday(), period]
        ]
        findings: dict[tuple, list] = defaultdict(list)  # (day, period) -> [(entry, status, note)]
        statuses = [status for status, weight, _causes in PATROL_FINDINGS for _ in range(weight)]
        teachers_found = set()
        wanted = rng.randint(3, 5)
        for day, period, entry in rng.sample(lessons, min(len(lessons), 40)):
            if len(teachers_found) >= wanted or entry.teacher_id in teachers_found:
                continue
            teachers_found.add(entry.teacher_id)
            findings[day, period].append((entry, rng.choice(statuses), ""))
        taken = {(d, p, e.school_class_id) for (d, p), found in findings.items() for e, _s, _n in found}
        others = [(d, p, e) for d, p, e in lessons if (d, p, e.school_class_id) not in taken]
        if others:
            day, period, entry = rng.choice(others)
            findings[day, period].append((entry, PatrolMark.Status.OTHER, rng.choice(PATROL_OTHER_NOTES)))
        incidents = []
        for day, period in slots:
            for entry, status, note in findings.get((day, period), []):
                try:
                    mark = patrol_services.patrol_mark_set(school_class=entry.school_class, date=day, period=period,
                                                           status=status, note=note, user=user)
                except (ValidationError, PermissionDenied):
                    continue
                self.counts["marks"] += 1
                incident = getattr(mark, "incident", None)
                if incident is not None:
                    incidents.append((incident, status))
            try:
                self.counts["marks"] += patrol_services.patrol_mark_all_normal(
                    school=self.root, date=day, period=period, user=user
                )
            except (ValidationError, PermissionDenied):
                continue
        causes = {status: found for status, _weight, found in PATROL_FINDINGS}
        for index, (incident, status) in enumerate(incidents):
            try:
                patrol_services.incident_update(incident=incident, cause=rng.choice(causes[status]),
                                                reported=index < len(incidents) - 1, user=user)
            except (ValidationError, PermissionDenied):
                pass
        self.counts["incidents"] = len(incidents)

    # --- lesson swaps -------------------------------------------------------------------------------------

    def swap(self, rng: random.Random) -> None:
        if not self.next_days:
            return
        root_id = self.root.pk
        teachers = [p for p in self.people if p.school_id == root_id and self.busy[p.pk]]
        by_subject = defaultdict(list)  # subject id -> teachers of it at the central school
        for entry in self.entries:
            if entry.school_class.grade.school_id == root_id:
                teacher = self.by_id.get(entry.teacher_id)
                if teacher is not None and teacher not in by_subject[entry.subject_id]:
                    by_subject[entry.subject_id].append(teacher)
        wanted = rng.randint(4, 6)
        made: list[LessonSwap] = []
        used: set[int] = set()
        exchange = self._exchange(rng, teachers, used)
        if exchange is not None:
            made.append(exchange)
        for _attempt in range(40):
            if len(made) >= wanted:
                break
            requester = rng.choice(teachers)
            if requester.pk in used:
                continue
            day = rng.choice(self.next_days)
            lessons = self.of_teacher[requester.pk, day.isoweekday()]
            if not lessons:
                continue
            entry = rng.choice(lessons)
            substitutes = [
                t for t in by_subject[entry.subject_id]
                if t.pk != requester.pk and (day.isoweekday(), entry.period) not in self.busy[t.pk]
            ]
            if not substitutes:
                continue
            try:
                swap = patrol_services.swap_request(
                    requester=requester, substitute=rng.choice(substitutes), date=day, period=entry.period,
                    reason=rng.choice(SWAP_REASONS),
                )
            except (ValidationError, PermissionDenied):
                continue
            used.add(requester.pk)
            made.append(swap)
        # The exchange and most substitutes approved; the office rejected one and has one still to decide.
        user = self.office.user
        singles = [s for s in made if s.paired_with_id is None]
        pending = singles[-1] if singles else None
        rejected = singles[-2] if len(singles) >= 2 else None
        for swap in made:
            try:
                if swap is rejected:
                    patrol_services.swap_reject(swap=swap, user=user, note=REJECT_NOTE)
                elif swap is not pending:
                    patrol_services.swap_approve(swap=swap, user=user, note=rng.choice(("", APPROVE_NOTE)))
            except (ValidationError, PermissionDenied):
                pass
        self.counts["swaps"] = len(made)

    def _exchange(self, rng, teachers, used) -> LessonSwap | None:
        """Two teachers of one class exchange a lesson each (one of them asks)."""
        for _attempt in range(30):
            requester = rng.choice(teachers)
            day = rng.choice(self.next_days)
            mine = self.of_teacher[requester.pk, day.isoweekday()]
            if not mine:
                continue
            entry = rng.choice(mine)
            # The class's other lessons in the next days, by a teacher free at the requester's lesson.
            options = []
            for other_day in self.next_days:
                for other in self.of_class[entry.school_class_id, other_day.isoweekday()]:
                    if other.teacher_id == requester.pk or (other_day, other.period) == (day, entry.period):
                        continue
                    if (day.isoweekday(), entry.period) in self.busy[other.teacher_id]:
                        continue
                    if (other_day.isoweekday(), other.period) in self.busy[requester.pk]:
                        continue
                    options.append((other_day, other))
            if not options:
                continue
            other_day, other = rng.choice(options)
            substitute = self.by_id.get(other.teacher_id)
            if substitute is None:
                continue
            try:
                swap = patrol_services.swap_request(
                    requester=requester, substitute=substitute, date=day, period=entry.period,
                    reason=EXCHANGE_REASON, exchange_date=other_day, exchange_period=other.period,
                )
            except (ValidationError, PermissionDenied):
                continue
            used.update({requester.pk, substitute.pk})
            return swap
        return None

    # --- labs ---------------------------------------------------------------------------------------------

    def labs(self, rng: random.Random) -> None:
        root, term = self.root, self.term
        user = self.office.user
        if not Experiment.objects.filter(school=root, term_number=term.number).exists():
            self.counts["experiments"] = self._import_experiments()
        school_ids = frozenset(s.pk for s in self.schools)
        months = {m.number: m for m in term.school_months()}
        due, begun = [], []  # (pair, month): due by a school month ended, due by the month in progress
        for pair in required_pairs(root=root, school_ids=school_ids, term=term):
            month = months.get(pair.experiment.month_number)
            if pair.teacher is None or pair.session is not None or month is None or month.start >= self.today:
                continue
            (due if month.end < self.today else begun).append((pair, month))
        # Most experiments already due are done, not all; a few of this month's are done early.
        missed = set(rng.sample(range(len(due)), max(1, round(len(due) * 0.15)))) if due else set()
        todo = [item for index, item in enumerate(due) if index not in missed]
        todo += [item for item in begun if rng.random() < 0.3]
        sessions = 0
        for pair, month in todo:
            days = [d for d in self.past_days if month.start <= d <= month.end]
            weekdays = self.lesson_days[pair.school_class.pk, pair.experiment.subject_id]
            days = [d for d in days if d.isoweekday() in weekdays] or days
            if not days:
                continue
            kind, note = pair.experiment.kind, rng.choice(LAB_SESSION_NOTES)
            if kind == Experiment.Kind.GROUP and rng.random() < 0.08:
                kind, note = Experiment.Kind.DEMONSTRATION, "器材不足，改为演示实验。"
            try:
                lab_services.lab_session_create(teacher=pair.teacher, experiment=pair.experiment,
                                                school_class=pair.school_class, date=rng.choice(days), kind=kind,
                                                note=note)
            except (ValidationError, PermissionDenied):
                continue
            sessions += 1
        self.counts["sessions"] = sessions
        # Two checks of the central school's labs: one tidy, the latest one not.
        in_charge = {}  # subject code -> the first of the central school's teachers of it
        for e in self.entries:
            if e.school_class.grade.school_id == root.pk and e.teacher_id in self.by_id:
                in_charge.setdefault(e.subject.code, self.by_id[e.teacher_id])
        rooms = [(room, in_charge[code]) for code, room in LAB_ROOMS if code in in_charge]
        if not rooms or len(self.past_days) < 2:
            return
        checks = 0
        earlier = self.past_days[len(self.past_days) // 3:len(self.past_days) * 2 // 3] or self.past_days[:1]
        later = self.past_days[-8:]
        for (room, teacher), tidy, days in zip(rooms * 2, (True, False), (earlier, later)):
            try:
                lab_services.lab_tidiness_check_create(
                    room=room, teacher_in_charge=teacher, date=rng.choice(days), tidy=tidy,
                    note=TIDY_NOTE if tidy else UNTIDY_NOTE, checked_by=self.office, user=user,
                )
            except (ValidationError, PermissionDenied):
                continue
            checks += 1
        self.counts["checks"] = checks

    def _import_experiments(self) -> int:
        """The term's required experiments, imported as the office imports them: the template, filled in."""
        term = self.term
        subjects = {e.subject.code: e.subject for e in self.entries if e.subject.has_labs}
        levels = {e.school_class.grade.level for e in self.entries}
        month_count = len(term.school_months())
        rows = []
        for code, by_level in EXPERIMENTS.get(term.number, {}).items():
            if code not in subjects:
                continue
            for level, experiments in sorted(by_level.items()):
                if level not in levels:
                    continue
                for index, (name, kind) in enumerate(experiments):
                    # Spread over the term's school months; the last one or two by the end of term.
                    month = 1 + index * month_count // len(experiments)
                    rows.append((subjects[code].name, level, term.number, name, kind,
                                 month if month < month_count else None))
        if not rows:
            return 0
        book = openpyxl.load_workbook(io.BytesIO(experiments_template()))
        sheet = book[SPEC.title]
        for row in rows:
            sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        try:
            result = experiments_import(file=out.getvalue(), school=self.root, user=self.office.user)
        except (ImportRefused, ValidationError, PermissionDenied):
            return 0
        return result.created


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _topic(subject, level: int, term_number: int, progress: float, rng: random.Random) -> str:
    """A topic of the subject for the grade, about where the term has got to (the grade's list, else the nearest
    lower grade's)."""
    by_level = TOPICS.get(term_number, TOPICS[1]).get(subject.code) or {}
    key = max((k for k in by_level if k <= level), default=None)
    topics = by_level.get(key) if key is not None else None
    if not topics:
        return f"{subject.name}新授课"
    index = int(progress * len(topics)) + rng.choice((-1, 0, 0, 1))
    return topics[min(len(topics) - 1, max(0, index))]
